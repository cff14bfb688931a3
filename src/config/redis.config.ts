import { registerAs } from '@nestjs/config';
import { IsOptional, Matches } from 'class-validator';

export class RedisEnvironment {
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Key prefix for every Bull queue, so several deployments (or test runs) can share one Redis. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_:-]{1,64}$/, { message: 'QUEUE_PREFIX must be 1-64 letters, digits, _ : or -' })
  QUEUE_PREFIX?: string;
}

export const redisConfig = registerAs('redis', () => ({
  url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  queuePrefix: process.env.QUEUE_PREFIX ?? 'aicall',
}));
export type RedisConfig = ReturnType<typeof redisConfig>;
