import { readFileSync } from 'node:fs';
import { eventually } from './eventually';

/**
 * The lines of a LOG_FILE once `written` holds for them: the service writes its log asynchronously, so a line
 * lands a moment after what it reports. Fails if it never holds.
 */
export function logFileOnceWritten(logFile: string, written: (text: string) => boolean): Promise<string> {
  return eventually(() => {
    const text = readFileSync(logFile, 'utf8');
    if (!written(text)) throw new Error(`${logFile} does not yet hold the expected lines`);
    return Promise.resolve(text);
  });
}
