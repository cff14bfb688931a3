import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { IncomingMessage } from 'node:http';
import { LoggerModule, PARAMS_PROVIDER_TOKEN, type Params, PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import type { AppConfig } from '../../config/app.config';
import { pickRequestId } from '../http/request-id';
import { prettyLogStream } from './pretty-log-stream';
import { QuietStartupLogger } from './quiet-startup.logger';
import { redactingSerializer, redactLogObject } from './secret-redaction';

const STDOUT = 1;

/** OAuth callbacks carry single-use secrets in the query string; the log keeps their names only. */
const SECRET_QUERY_PARAMETER = /([?&](?:code|state|code_verifier|token|access_token|refresh_token)=)[^&#]*/gi;

export function redactQuerySecrets(url: string): string {
  return url.replace(SECRET_QUERY_PARAMETER, '$1[redacted]');
}

/** How the request, the response and errors appear in a line; each output is redacted like the rest of it. */
const LOG_SERIALIZERS = {
  req: redactingSerializer((request: { id: string; method: string; url: string }) => ({
    id: request.id,
    method: request.method,
    url: redactQuerySecrets(request.url),
  })),
  // The status alone: the response headers (a dozen security headers, the same on every answer) made each
  // request's line about three times longer.
  res: redactingSerializer((response: { statusCode: number }) => ({ statusCode: response.statusCode })),
  // pino-http hands this pino's own serialization of the error (type, message, stack, its other fields).
  err: redactingSerializer((error: unknown) => error),
};
const SERIALIZED_KEYS: ReadonlySet<string> = new Set(Object.keys(LOG_SERIALIZERS));

/**
 * The root logger: every line's fields, and the bindings of every child logger (their `child` is this one's),
 * have their secrets redacted by walking their objects (secret-redaction.ts): a request's child logger and line
 * took about 30 µs with pino's wildcard redaction paths, about 2.5 µs this way (measured in isolation).
 */
export function createRootLogger(level: string, stream?: pino.DestinationStream): pino.Logger {
  const root = pino(
    {
      level,
      serializers: LOG_SERIALIZERS,
      formatters: { log: (object) => redactLogObject(object, SERIALIZED_KEYS) },
    },
    stream,
  );
  // pino formats the bindings of a child once, when it is made, with no formatter of ours in between.
  const makeChild: unknown = Reflect.get(root, 'child');
  root.child = function (this: pino.Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) {
    return Reflect.apply(makeChild as pino.Logger['child'], this, [
      redactLogObject(bindings, SERIALIZED_KEYS),
      options,
    ]) as never;
  };
  return root;
}

/** pino-http's options over `root`: the request id, the level of a request's line, the same serializers. */
export function requestLogOptions(root: pino.Logger): PinoHttpOptions {
  return {
    logger: root,
    genReqId: (request: IncomingMessage) => pickRequestId(request),
    customLogLevel: (_request, response, error) => logLevelOf(response.statusCode, error),
    serializers: LOG_SERIALIZERS,
  };
}

/**
 * Logs through pino: one line per request with its request id, the same id bound to every line logged while
 * handling it, secrets redacted. JSON lines, one per event, except in development on a terminal, where
 * pino-pretty makes them readable (LOG_FORMAT decides). LOG_FILE sends the JSON lines to a file instead of stdout.
 * Both processes log through `QuietStartupLogger` (Nest's start-up chatter at debug).
 *
 * JSON lines are written asynchronously: lines logged while a write is on its way go out together in the next
 * one, so a busy process makes one write syscall per batch instead of one per line. pino flushes what is left
 * when the process exits; a process killed with SIGKILL can lose its last lines (never an audit entry: those are
 * in Postgres).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const app = config.getOrThrow<AppConfig>('app');
        const logFile = config.get<string>('LOG_FILE');
        return {
          pinoHttp: requestLogOptions(
            createRootLogger(
              app.logLevel,
              app.logFormat === 'pretty' && !logFile
                ? prettyLogStream()
                : pino.destination({ dest: logFile ?? STDOUT, sync: false }),
            ),
          ),
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
