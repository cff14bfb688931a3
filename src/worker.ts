import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { databaseConfig } from './config/database.config';
import { validateEnvironment } from './config/validate-environment';
import { ensureDatabaseExists } from './database/ensure-database';

/** The worker process: the same modules as the API, no HTTP server; it runs the queues' jobs. */
async function bootstrap(): Promise<void> {
  validateEnvironment(process.env);
  const database = databaseConfig();
  await ensureDatabaseExists(database.url, database.createIfMissing);
  const app = await NestFactory.createApplicationContext(AppModule, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.get(Logger).log('worker started');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
