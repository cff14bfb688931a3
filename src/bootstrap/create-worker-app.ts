import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QuietStartupLogger } from '../common/logging/quiet-startup.logger';
import { validateEnvironment } from '../config/validate-environment';
import { WorkerModule } from '../worker.module';

/** The worker: the same modules as the API without an HTTP server, plus the job processors it alone runs. */
export async function createWorkerApp(): Promise<INestApplicationContext> {
  validateEnvironment(process.env);
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(QuietStartupLogger));
  app.flushLogs();
  app.enableShutdownHooks();
  return app;
}
