import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { RedisConfig } from '../../config/redis.config';
import { ALL_QUEUES, DEFAULT_JOB_OPTIONS, queueSettings } from './queue-names';

const queueRegistrations = BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name })));

/** Redis through Bull: the connection, and every queue of the registry, available to all modules. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const redis = config.getOrThrow<RedisConfig>('redis');
        return {
          url: redis.url,
          prefix: redis.queuePrefix,
          defaultJobOptions: DEFAULT_JOB_OPTIONS,
          settings: queueSettings(redis),
          // While Redis reconnects, commands wait but give up after one retry instead of hanging forever
          // (stack-notes §3); the hot path also bounds queue.add itself (QUEUE_ADD_TIMEOUT_MS).
          redis: { enableOfflineQueue: true, maxRetriesPerRequest: 1, connectTimeout: 2000 },
        };
      },
    }),
    queueRegistrations,
  ],
  exports: [queueRegistrations],
})
export class QueueModule {}
