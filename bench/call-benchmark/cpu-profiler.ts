/**
 * Preloaded (`node -r`) into the API and the worker by `npm run bench -- --profile`: the first SIGWINCH starts
 * V8's CPU profiler (the one behind `node --cpu-prof`), the second stops it and writes
 * `<BENCH_CPU_PROFILE_DIR>/<pid>.cpuprofile`. Unlike `--cpu-prof`, which writes only on a clean exit, this
 * profiles exactly the phase the benchmark brackets, and the process keeps running. SIGWINCH because its
 * default is to be ignored and nothing else here listens to it (Nest's shutdown hooks take SIGUSR2, the
 * inspector SIGUSR1).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const directory = process.env.BENCH_CPU_PROFILE_DIR ?? '.';
const session = new Session();
session.connect();
let profiling = false;

process.on('SIGWINCH', () => {
  if (!profiling) {
    profiling = true;
    session.post('Profiler.enable', () => session.post('Profiler.start'));
    return;
  }
  profiling = false;
  session.post('Profiler.stop', (error, result) => {
    if (error) console.error(`cpu profile not written: ${error.message}`);
    else writeFileSync(`${directory}/${process.pid}.cpuprofile`, JSON.stringify(result.profile));
  });
});
