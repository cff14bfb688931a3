import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import { validateEnvironment } from '../config/validate-environment';

/** The worker: the same modules as the API without an HTTP server; it runs the queues' jobs. */
export async function createWorkerApp(): Promise<INestApplicationContext> {
  validateEnvironment(process.env);
  const app = await NestFactory.createApplicationContext(AppModule, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.enableShutdownHooks();
  return app;
}
