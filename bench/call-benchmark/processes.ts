import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** The repository root: children run with it as working directory (ts-node finds tsconfig.json there). */
export const REPO_ROOT = `${__dirname}/../..`;

const OUTPUT_LINES_KEPT = 40;
const STOP_GRACE_MS = 5_000;

/**
 * One child process running a TypeScript entry point through ts-node. Spawned as `node -r ts-node/register/...`
 * rather than `npx ts-node` so that `pid` is node's own pid (what /proc is sampled for), not a wrapper's.
 */
export class NodeChild {
  readonly process: ChildProcess;
  private readonly recentOutput: string[] = [];
  private readonly lineListeners: Array<(line: string) => void> = [];
  private exitCode: number | null | undefined = undefined;

  constructor(
    readonly name: string,
    script: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.process = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', script], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.keep(chunk));
    this.process.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.keep(chunk));
    this.process.on('exit', (code) => (this.exitCode = code));
  }

  get pid(): number {
    return this.process.pid ?? -1;
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  /** The last lines it printed, for error messages. */
  output(): string {
    return this.recentOutput.join('\n');
  }

  /** Resolves with the first line accepted by `match`; rejects on exit or after `timeoutMs`. */
  waitForLine(match: (line: string) => boolean, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: no expected line in ${timeoutMs} ms\n${this.output()}`)),
        timeoutMs,
      );
      this.process.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code}) before it was ready\n${this.output()}`));
      });
      this.lineListeners.push((line) => {
        if (!match(line)) return;
        clearTimeout(timer);
        resolve(line);
      });
    });
  }

  /** SIGTERM, then SIGKILL if it has not exited within the grace period. */
  async stop(): Promise<void> {
    if (this.exited || this.process.pid === undefined) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.kill('SIGTERM');
    // Unref'd grace timers: a child that exits in time leaves nothing behind that keeps the caller alive.
    const grace = () => sleep(STOP_GRACE_MS, undefined, { ref: false });
    const stopped = await Promise.race([exited.then(() => true), grace().then(() => false)]);
    if (stopped) return;
    this.process.kill('SIGKILL');
    await Promise.race([exited, grace()]);
  }

  /** `kill -9`: no shutdown hooks run, as when the machine or the container dies. */
  async kill(): Promise<void> {
    if (this.exited || this.process.pid === undefined) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.kill('SIGKILL');
    await exited;
  }

  private keep(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (!line) continue;
      this.recentOutput.push(line);
      if (this.recentOutput.length > OUTPUT_LINES_KEPT) this.recentOutput.shift();
      for (const listener of this.lineListeners) listener(line);
    }
  }
}

/** A port free on 127.0.0.1 right now (the OS picks it; the short race until the child binds is accepted). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `url` until it answers 200; fails early when the child dies, or after `timeoutMs`. */
export async function waitUntilReady(url: string, child: NodeChild, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited) throw new Error(`${child.name} exited before it was ready\n${child.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${child.name}: ${url} not ready after ${timeoutMs} ms\n${child.output()}`);
}

export interface ProcessUsage {
  /** Resident set when sampling started (the idle process after start-up and warm-up), MB. */
  rssAtStartMb: number;
  /** Largest resident set seen by the sampler while it ran, MB. */
  rssPeakSampledMb: number;
  /** VmHWM: the kernel's lifetime high-water mark of the process (start-up included), MB. */
  rssLifetimePeakMb: number;
  /** CPU time (user + system) used while the sampler ran, seconds. */
  cpuSeconds: number;
}

export interface UsageReport {
  byProcess: Record<string, ProcessUsage>;
  /** Wall-clock time the sampler ran, and the busy CPU time of the whole machine meanwhile, seconds. */
  wallSeconds: number;
  machineBusyCpuSeconds: number;
}

/** Linux USER_HZ: /proc reports CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

interface Watched {
  name: string;
  pid: number;
}

/**
 * Samples VmRSS / VmHWM of some processes from /proc every `intervalMs`, and their CPU time (and the machine's)
 * between start and stop, to show where the cores went. Linux only.
 */
export class ProcessSampler {
  private readonly usage = new Map<string, ProcessUsage & { cpuTicksAtStart: number }>();
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  private machineBusyAtStart = 0;

  constructor(private readonly processes: Watched[]) {}

  start(intervalMs = 200): void {
    this.startedAt = performance.now();
    this.machineBusyAtStart = machineBusyTicks();
    for (const { name, pid } of this.processes) {
      const status = readProcStatus(pid);
      this.usage.set(name, {
        rssAtStartMb: status?.rssMb ?? 0,
        rssPeakSampledMb: status?.rssMb ?? 0,
        rssLifetimePeakMb: status?.hwmMb ?? 0,
        cpuSeconds: 0,
        cpuTicksAtStart: cpuTicks(pid),
      });
    }
    this.timer = setInterval(() => this.sampleMemory(), intervalMs);
  }

  stop(): UsageReport {
    clearInterval(this.timer);
    this.sampleMemory();
    const byProcess: Record<string, ProcessUsage> = {};
    for (const { name, pid } of this.processes) {
      const entry = this.usage.get(name);
      if (!entry) continue;
      const { cpuTicksAtStart, ...usage } = entry;
      byProcess[name] = { ...usage, cpuSeconds: (cpuTicks(pid) - cpuTicksAtStart) / TICKS_PER_SECOND };
    }
    return {
      byProcess,
      wallSeconds: (performance.now() - this.startedAt) / 1000,
      machineBusyCpuSeconds: (machineBusyTicks() - this.machineBusyAtStart) / TICKS_PER_SECOND,
    };
  }

  private sampleMemory(): void {
    for (const { name, pid } of this.processes) {
      const status = readProcStatus(pid);
      const entry = this.usage.get(name);
      if (!status || !entry) continue;
      entry.rssPeakSampledMb = Math.max(entry.rssPeakSampledMb, status.rssMb);
      entry.rssLifetimePeakMb = Math.max(entry.rssLifetimePeakMb, status.hwmMb);
    }
  }
}

/** Resident set of a process now, MB (undefined once it is gone). */
export function residentSetMb(pid: number): number | undefined {
  return readProcStatus(pid)?.rssMb;
}

function readProcStatus(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined; // the process is gone
  }
}

/** utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat, counted after the command name). */
function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Busy ticks of all cores: everything in /proc/stat's `cpu` line but idle and iowait. */
function machineBusyTicks(): number {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = values.slice(0, 8).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return total - ticks[3] - ticks[4];
}
