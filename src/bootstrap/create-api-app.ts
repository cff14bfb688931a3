import { NestFactory } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { QuietStartupLogger } from '../common/logging/quiet-startup.logger';
import { ApiModule } from '../api.module';
import { AllExceptionsFilter } from '../common/errors/all-exceptions.filter';
import { answerFrameworkError, MAX_PATH_PARAMETER_LENGTH } from '../common/errors/framework-errors';
import { refuseUnsafeText } from '../common/http/input-hygiene';
import { registerLoadShedding } from '../common/http/load-shedding';
import { bindRequestContext } from '../common/http/request-context';
import { pickRequestId, REQUEST_ID_RESPONSE_HEADER } from '../common/http/request-id';
import { registerSecurityHeaders } from '../common/http/security-headers';
import { createValidationPipe } from '../common/http/validation.pipe';
import { appConfig } from '../config/app.config';
import { limitsConfig } from '../config/limits.config';
import { validateEnvironment } from '../config/validate-environment';
import { limitRequestRates } from '../modules/rate-limits/rate-limit.hook';
import { RequestRateLimiter } from '../modules/rate-limits/request-rate-limiter';
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
    // Ids of the contract are up to 128 characters (callId); Fastify's default stops at 100.
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    // `as never`, like the cast below: @nestjs/platform-fastify pins its own copy of Fastify's types, and the
    // plugins' type augmentations attach to the project's copy. Both are the same Fastify 5 at runtime.
    frameworkErrors: answerFrameworkError as never,
  });
  const fastify = adapter.getInstance<FastifyInstance>();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_RESPONSE_HEADER, request.id);
    done();
  });
  refuseUnsafeText(fastify);
  bindRequestContext(fastify);
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, adapter, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(QuietStartupLogger));
  app.flushLogs();
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  registerSecurityHeaders(fastify);
  const limits = limitsConfig();
  await registerLoadShedding(fastify, limits);
  limitRequestRates(fastify, app.get(RequestRateLimiter), limits.maxInFlightPerKey);
  setUpOpenApi(app);
  serveConsole(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** The document is built on its first request, not at start-up: most API processes never serve it. */
function setUpOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
