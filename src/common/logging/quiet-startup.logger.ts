import { Logger } from 'nestjs-pino';

/**
 * Nest announces every module, controller and route it sets up (about 130 lines before the service can answer).
 * Useful when debugging wiring, noise otherwise: those lines go out at debug, everything else as it came.
 */
const STARTUP_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
]);

export class QuietStartupLogger extends Logger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && STARTUP_CONTEXTS.has(context)) {
      super.debug(message, ...optionalParams);
      return;
    }
    super.log(message, ...optionalParams);
  }
}
