import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createWorkerApp } from './bootstrap/create-worker-app';
import { databaseConfig } from './config/database.config';
import { validateEnvironment } from './config/validate-environment';
import { ensureDatabaseExists } from './database/ensure-database';

/** The worker process (see createWorkerApp). */
async function bootstrap(): Promise<void> {
  validateEnvironment(process.env);
  const database = databaseConfig();
  await ensureDatabaseExists(database.url, database.createIfMissing);
  const app = await createWorkerApp();
  app.get(Logger).log('worker started');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
