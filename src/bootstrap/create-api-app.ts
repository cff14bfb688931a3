import { NestFactory } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import { AllExceptionsFilter } from '../common/errors/all-exceptions.filter';
import { RequestContextInterceptor } from '../common/http/request-context';
import { pickRequestId, REQUEST_ID_RESPONSE_HEADER } from '../common/http/request-id';
import { createValidationPipe } from '../common/http/validation.pipe';
import { appConfig } from '../config/app.config';
import { validateEnvironment } from '../config/validate-environment';
import { serveConsole } from './console-static';
import { buildOpenApiDocument } from './openapi';

/**
 * Validates the environment, then builds the HTTP application exactly as production runs it; main.ts and the e2e tests both use this, so the
 * tests exercise the real pipes, filters, guards, body limits and logging.
 */
export async function createApiApp(): Promise<NestFastifyApplication> {
  validateEnvironment(process.env);
  const adapter = new FastifyAdapter({
    bodyLimit: appConfig().bodyLimitBytes,
    trustProxy: true,
    genReqId: (request: IncomingMessage) => pickRequestId(request),
  });
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_RESPONSE_HEADER, request.id);
    done();
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalInterceptors(new RequestContextInterceptor());
  app.enableShutdownHooks();
  setUpOpenApi(app);
  serveConsole(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

function setUpOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
