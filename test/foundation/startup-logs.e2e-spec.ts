import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logFileOnceWritten } from '../support/log-file';
import { startTestApp, type TestApp } from '../support/test-app';

interface LogLine {
  level: number;
  context?: string;
  msg?: string;
}

const DEBUG = 20;
const STARTUP_CONTEXTS = [
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
];

/**
 * Nest announces every module, controller and route as it boots. Booted at debug (one app per file: the
 * config module caches LOG_FILE), every such line must be there, and at debug, so an info log has none.
 */
describe('Start-up logs', () => {
  const logFile = join(tmpdir(), `aicall-boot-${process.pid}-${Date.now()}.jsonl`);
  let t: TestApp;
  let lines: LogLine[];

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'debug', LOG_FILE: logFile });
    // The last start-up line: everything announced before it is in the file too.
    lines = (
      await logFileOnceWritten(logFile, (text) => text.includes('Nest application successfully started'))
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LogLine);
  });
  afterAll(async () => {
    await t.close();
    rmSync(logFile, { force: true });
  });

  it('logs every route mapping as one JSON line', () => {
    const routes = lines.filter((line) => line.context === 'RouterExplorer');
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.some((line) => line.msg?.includes('/v1/agent-tools'))).toBe(true);
  });

  it('logs the start-up chatter at debug only, so the info log has none of it', () => {
    const startup = lines.filter((line) => STARTUP_CONTEXTS.includes(line.context ?? ''));
    expect(startup.length).toBeGreaterThan(50);
    expect(startup.filter((line) => line.level !== DEBUG)).toEqual([]);
  });
});
