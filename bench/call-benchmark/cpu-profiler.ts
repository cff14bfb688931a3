/**
 * Preloaded (`node -r`) into the API and the worker by `npm run bench -- --profile`: the first SIGUSR2 starts
 * V8's CPU profiler (the one behind `node --cpu-prof`), the second stops it and writes
 * `<BENCH_CPU_PROFILE_DIR>/<pid>.cpuprofile`. Unlike `--cpu-prof`, which writes only on a clean exit, this
 * profiles exactly the phase the benchmark brackets, and the process keeps running.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const directory = process.env.BENCH_CPU_PROFILE_DIR ?? '.';
const session = new Session();
session.connect();
let profiling = false;

process.on('SIGUSR2', () => {
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
