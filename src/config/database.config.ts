import { registerAs } from '@nestjs/config';
import { Type } from 'class-transformer';
import { IsBooleanString, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { numberOr } from './number-or';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/aicall';

/**
 * Connections one process keeps to Postgres. More connections than the database has cores to run them buy no
 * throughput: the extra backends contend for the WAL and lock managers, and each statement costs Postgres more
 * CPU (measured with pgbench on the critical intent's two statements: about 0.6 ms of Postgres CPU at 4 clients,
 * 1.0 ms at 20, 1.4 ms at 40). Ten is pg's own default.
 */
export const DEFAULT_DB_POOL_MAX = 10;

export class DatabaseEnvironment {
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+\/[^/?]+/, {
    message: 'DATABASE_URL must be a postgres:// URL naming a database',
  })
  DATABASE_URL?: string;

  /** Apply pending migrations at start-up (default: on in development and test, off in production). */
  @IsOptional()
  @IsBooleanString()
  DB_MIGRATIONS_RUN?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_MAX?: number;
}

export const databaseConfig = registerAs('database', () => {
  const production = process.env.NODE_ENV === 'production';
  return {
    url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    poolMax: numberOr(process.env.DB_POOL_MAX, DEFAULT_DB_POOL_MAX),
    migrationsRun: process.env.DB_MIGRATIONS_RUN ? process.env.DB_MIGRATIONS_RUN === 'true' : !production,
    /** In development a missing database is created; in production it is an operator's job. */
    createIfMissing: !production,
  };
});
export type DatabaseConfig = ReturnType<typeof databaseConfig>;
