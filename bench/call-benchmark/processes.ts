import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** The repository root: children run with it as working directory (ts-node finds tsconfig.json there). */
export const REPO_ROOT = `${__dirname}/../..`;

const OUTPUT_LINES_KEPT = 40;
const STOP_GRACE_MS = 5_000;

/**
 * One child process running an entry point: compiled JavaScript (`dist/….js`) with plain node, as production
 * runs it, or TypeScript through ts-node. Spawned as `node -r ts-node/register/...` rather than `npx ts-node` so
 * that `pid` is node's own pid (what /proc is sampled for), not a wrapper's. `nodeArgs` go before the script
 * (e.g. `-r` preloads); `nodeBinary` is the node that runs it (this process's own by default).
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
    nodeArgs: string[] = [],
    nodeBinary = process.execPath,
  ) {
    const runtime = script.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only'] : [];
    this.process = spawn(nodeBinary, [...runtime, ...nodeArgs, script], {
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
  /** CPU time of process groups (e.g. every Postgres process) while the sampler ran, seconds. */
  cpuSecondsByGroup: Record<string, number>;
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

/** Processes measured together: `ticks()` is their CPU time so far, never decreasing while they run. */
export interface CpuGroup {
  name: string;
  ticks(): number;
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
  private readonly groupTicksAtStart = new Map<string, number>();

  constructor(
    private readonly processes: Watched[],
    private readonly groups: CpuGroup[] = [],
  ) {}

  start(intervalMs = 200): void {
    this.startedAt = performance.now();
    this.machineBusyAtStart = machineBusyTicks();
    for (const group of this.groups) this.groupTicksAtStart.set(group.name, group.ticks());
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
    const cpuSecondsByGroup: Record<string, number> = {};
    for (const group of this.groups) {
      const ticks = group.ticks() - (this.groupTicksAtStart.get(group.name) ?? 0);
      cpuSecondsByGroup[group.name] = ticks / TICKS_PER_SECOND;
    }
    return {
      byProcess,
      cpuSecondsByGroup,
      wallSeconds: (performance.now() - this.startedAt) / 1000,
      machineBusyCpuSeconds: (machineBusyTicks() - this.machineBusyAtStart) / TICKS_PER_SECOND,
    };
  }

  private sampleMemory(): void {
    for (const group of this.groups) group.ticks(); // lets groups that follow processes see them while alive
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

/** Fields of /proc/<pid>/stat after the command name: [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime. */
function statFields(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  } catch {
    return undefined; // the process is gone
  }
}

/** utime + stime of a process. */
function cpuTicks(pid: number): number {
  const fields = statFields(pid);
  return fields ? Number(fields[11]) + Number(fields[12]) : 0;
}

/** Every process on the machine whose command name (/proc/<pid>/comm) is `command`. */
function pidsOf(command: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === command;
      } catch {
        return false;
      }
    });
}

export const POSTGRES_AND_REDIS = 'postgres + redis (all their processes)';
export const OWN_DATABASE_BACKENDS = "postgres backends of the run's database";

/**
 * Every Postgres process (postmaster, background processes, all backends) and redis-server, as the issue
 * counts them. A backend that exits hands its time to the postmaster's cutime + cstime (the kernel adds a
 * reaped child's time to its parent's), so counting those as well loses no connection that came and went.
 * On a shared server this includes other users' work; see `postgresBackendsOf` for this run's own share.
 */
export function postgresAndRedisGroup(): CpuGroup {
  return {
    name: POSTGRES_AND_REDIS,
    ticks() {
      const postgres = pidsOf('postgres');
      const postgresPids = new Set(postgres);
      let ticks = 0;
      for (const pid of postgres) {
        const fields = statFields(pid);
        if (!fields) continue;
        ticks += Number(fields[11]) + Number(fields[12]);
        const isPostmaster = !postgresPids.has(Number(fields[1]));
        if (isPostmaster) ticks += Number(fields[13]) + Number(fields[14]);
      }
      for (const pid of pidsOf('redis-server')) ticks += cpuTicks(pid);
      return ticks;
    },
  };
}

/**
 * The Postgres backends serving `database` (their command line names it), each counted up to the last time it
 * was seen: call `ticks()` often (the sampler does, every interval) and a backend that exits loses at most one
 * interval.
 */
export function postgresBackendsOf(database: string): CpuGroup {
  const lastSeen = new Map<number, number>();
  return {
    name: OWN_DATABASE_BACKENDS,
    ticks() {
      for (const pid of pidsOf('postgres')) {
        let commandLine: string;
        try {
          commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          continue;
        }
        if (commandLine.includes(` ${database} `))
          lastSeen.set(pid, cpuTicks(pid) || (lastSeen.get(pid) ?? 0));
      }
      return [...lastSeen.values()].reduce((sum, ticks) => sum + ticks, 0);
    },
  };
}

/** Busy ticks of all cores: everything in /proc/stat's `cpu` line but idle and iowait. */
function machineBusyTicks(): number {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = values.slice(0, 8).map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return total - ticks[3] - ticks[4];
}
