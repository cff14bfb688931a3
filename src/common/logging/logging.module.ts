import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { IncomingMessage } from 'node:http';
import { LoggerModule, PARAMS_PROVIDER_TOKEN, type Params, PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from '../../config/app.config';
import { pickRequestId } from '../http/request-id';
import { prettyLogStream } from './pretty-log-stream';
import { QuietStartupLogger } from './quiet-startup.logger';

/** Field names whose values are secrets wherever they appear in a log line. */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'key',
  'apiKey',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'privateKeyPem',
  'assertion',
  'code_verifier',
];

const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
];

/** OAuth callbacks carry single-use secrets in the query string; the log keeps their names only. */
const SECRET_QUERY_PARAMETER = /([?&](?:code|state|code_verifier|token|access_token|refresh_token)=)[^&#]*/gi;

export function redactQuerySecrets(url: string): string {
  return url.replace(SECRET_QUERY_PARAMETER, '$1[redacted]');
}

/**
 * Logs through pino: one line per request with its request id, the same id bound to every line logged while
 * handling it, secrets redacted. JSON lines, one per event, except in development on a terminal, where
 * pino-pretty makes them readable (LOG_FORMAT decides). LOG_FILE sends the JSON lines to a file instead of stdout.
 * Both processes log through `QuietStartupLogger` (Nest's start-up chatter at debug).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const app = config.getOrThrow<AppConfig>('app');
        const logFile = config.get<string>('LOG_FILE');
        return {
          pinoHttp: {
            level: app.logLevel,
            genReqId: (request: IncomingMessage) => pickRequestId(request),
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            customLogLevel: (_request, response, error) => logLevelOf(response.statusCode, error),
            serializers: {
              req: (request: { id: string; method: string; url: string }) => ({
                id: request.id,
                method: request.method,
                url: redactQuerySecrets(request.url),
              }),
              // The status alone: the response headers (a dozen security headers, the same on every answer)
              // made each request's line about three times longer, and walking them for redaction cost CPU.
              res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
            },
            stream: logFile
              ? pino.destination({ dest: logFile, sync: true })
              : app.logFormat === 'pretty'
                ? prettyLogStream()
                : undefined,
          },
        };
      },
    }),
  ],
  providers: [
    {
      provide: QuietStartupLogger,
      inject: [PinoLogger, PARAMS_PROVIDER_TOKEN],
      useFactory: (logger: PinoLogger, params: Params) => new QuietStartupLogger(logger, params),
    },
  ],
  exports: [QuietStartupLogger],
})
export class LoggingModule {}

/**
 * 429 (rate limited) and 503 (shed, not ready) are how the service answers floods and overload: they log like
 * ordinary answers, so a flood of refusals does not become a flood of warnings and errors.
 */
function logLevelOf(statusCode: number, error: Error | undefined): 'info' | 'warn' | 'error' {
  if (statusCode === 429 || statusCode === 503) return 'info';
  if (error || statusCode >= 500) return 'error';
  return statusCode >= 400 ? 'warn' : 'info';
}
