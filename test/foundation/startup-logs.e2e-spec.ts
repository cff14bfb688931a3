import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp } from '../support/test-app';

interface LogLine {
  level: number;
  context?: string;
  msg?: string;
}

const DEBUG = 20;
const STARTUP_CONTEXTS = ['InstanceLoader', 'RoutesResolver', 'RouterExplorer'];

/** Boots the real API with the given level, logging JSON to a file, and returns the lines of the boot. */
async function bootLines(level: string): Promise<LogLine[]> {
  const logFile = join(tmpdir(), `aicall-boot-${process.pid}-${Date.now()}.jsonl`);
  const t = await startTestApp({ LOG_LEVEL: level, LOG_FILE: logFile });
  try {
    return readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine);
  } finally {
    await t.close();
    rmSync(logFile, { force: true });
    delete process.env.LOG_FILE;
  }
}

describe('Start-up logs', () => {
  it('keep Nest announcing every module, controller and route out of the info log', async () => {
    const lines = await bootLines('info');
    expect(lines.filter((line) => STARTUP_CONTEXTS.includes(line.context ?? ''))).toEqual([]);
  });

  it('still have them at debug, one JSON line each', async () => {
    const lines = await bootLines('debug');
    const routes = lines.filter((line) => line.context === 'RouterExplorer');
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.every((line) => line.level === DEBUG)).toBe(true);
    expect(routes.some((line) => line.msg?.includes('/v1/agent-tools'))).toBe(true);
  });
});
