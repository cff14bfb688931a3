import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const CONSOLE_DIRECTORY = join(__dirname, '../console');
const BUILT_ENTRY = join(CONSOLE_DIRECTORY, 'dist/index.html');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'];

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/** True when the console was never built or a source changed after its last build. */
export function consoleBuildIsStale(): boolean {
  let builtAt: number;
  try {
    builtAt = statSync(BUILT_ENTRY).mtimeMs;
  } catch {
    return true;
  }
  return SOURCES.some((source) => newestChange(join(CONSOLE_DIRECTORY, source)) > builtAt);
}

/** `npm start` and the browser tests: build the console (a few seconds) only when it is missing or stale. */
export function ensureConsoleBuilt(): void {
  if (!consoleBuildIsStale()) return;
  execFileSync('npm', ['run', '--silent', 'build', '--workspace', 'console'], {
    cwd: join(CONSOLE_DIRECTORY, '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
