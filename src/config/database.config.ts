import { registerAs } from '@nestjs/config';
import { IsBooleanString, IsOptional, Matches } from 'class-validator';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/aicall';

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
}

export const databaseConfig = registerAs('database', () => {
  const production = process.env.NODE_ENV === 'production';
  return {
    url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    migrationsRun: process.env.DB_MIGRATIONS_RUN ? process.env.DB_MIGRATIONS_RUN === 'true' : !production,
    /** In development a missing database is created; in production it is an operator's job. */
    createIfMissing: !production,
  };
});
export type DatabaseConfig = ReturnType<typeof databaseConfig>;
