import Bull from 'bull';
import Redis from 'ioredis';
import { Pool } from 'pg';
import {
  callCacheKey,
  FloorSalesforce,
  floorEnv,
  hopsLeftOut,
  rememberRecords,
  sendCompletion,
} from './floor-writes';

/**
 * The floor's worker (bench/hop-floor.ts): a completion job reads its call's writes, upserts the Task in one
 * composite, then makes the `written` move and updates the call cache, as the connector's worker does. With
 * `--without=queue` the API sends completions itself and this worker has nothing to do.
 */

const WORKER_CONCURRENCY = 16;

const env = floorEnv();
const without = hopsLeftOut();
const pool = new Pool({ connectionString: env.databaseUrl, max: 10 });
const redis = new Redis(env.redisUrl);
const salesforce = new FloorSalesforce(env);
const queue = new Bull<{ writeId: string }>('floor-writes', env.redisUrl, { prefix: env.queuePrefix });

void queue.process('send-write', WORKER_CONCURRENCY, async (job) => {
  const { callId, ids } = await sendCompletion(pool, env, salesforce, job.data.writeId);
  if (!without.has('call-cache')) await rememberRecords(redis, callCacheKey(env, callId), ids);
});

process.stdout.write('FLOOR_WORKER_READY\n');

const shutdown = () =>
  void queue
    .close()
    .then(() => Promise.all([pool.end(), salesforce.close()]))
    .then(() => redis.quit())
    .finally(() => process.exit(0));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
