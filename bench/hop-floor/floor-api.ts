import Bull from 'bull';
import { createHash, randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { normalizePhone } from '../../src/modules/mapping';
import { buildLookupRequests } from '../../src/modules/writes/lookup/lookup-request';
import {
  API_VERSION,
  callCacheKey,
  FloorSalesforce,
  floorEnv,
  hopsLeftOut,
  insertWrite,
  markWritten,
  rememberRecords,
  sendCompletion,
  upsertSubrequest,
} from './floor-writes';

/**
 * The floor's API (bench/hop-floor.ts): the call benchmark's three routes doing the connector's round trips and
 * nothing else. Per request: the key's hash and one Redis round trip for its rate count. Lookup: SOSL and the
 * SOQL composite at once. Intent: call cache read, write row + audit entry (flushed), one composite, the
 * `written` move, call cache write. Completion: write row + audit entry, one Bull job. `--without=` leaves hops
 * out (floor-writes.ts, FloorHop) to price them.
 */

const env = floorEnv();
const without = hopsLeftOut();
/** `--without=call-cache`: what each call's writes learnt, in this process only. */
const knownByCall = new Map<string, Record<string, string>>();
const agentKeyHash = createHash('sha256')
  .update(process.env.FLOOR_AGENT_KEY ?? '')
  .digest('hex');
const pool = new Pool({ connectionString: env.databaseUrl, max: 10 });
const redis = new Redis(env.redisUrl);
const salesforce = new FloorSalesforce(env);
const queue = new Bull('floor-writes', env.redisUrl, { prefix: env.queuePrefix });
const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });

app.addHook('onRequest', async (request, reply) => {
  if (request.url === '/health/ready') return;
  const key = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
  const keyHash = createHash('sha256').update(key).digest('hex');
  if (keyHash !== agentKeyHash) return reply.code(401).send({ code: 'UNAUTHENTICATED' });
  if (without.has('rate-limit')) return;
  const countKey = `${env.queuePrefix}:floor-rate:${keyHash}`;
  await redis.multi().incr(countKey).pexpire(countKey, 60_000).exec();
});

const timing = (ms: number) => `sf;dur=${ms.toFixed(1)}`;

app.get<{ Querystring: { phone: string } }>('/v1/lookup', async (request, reply) => {
  const phone = normalizePhone(request.query.phone, 'US');
  const { sosl, queries } = buildLookupRequests(phone, API_VERSION);
  const started = performance.now();
  const [search] = (await Promise.all([
    salesforce.request('GET', `/services/data/v${API_VERSION}/search?q=${encodeURIComponent(sosl)}`),
    salesforce.request('POST', `/services/data/v${API_VERSION}/composite`, queries),
  ])) as [{ searchRecords: unknown[] }, unknown];
  const source = search.searchRecords.length > 0 ? 'sosl' : 'none';
  return reply.header('server-timing', timing(performance.now() - started)).send({ matches: [], source });
});

interface IntentBody {
  intent: 'demo_requested' | 'budget_confirmed';
  value?: number;
  caller: { phone: string; firstName: string; lastName: string; company: string; email: string };
}

app.post<{ Params: { callId: string }; Body: IntentBody }>(
  '/v1/calls/:callId/intents',
  async (request, reply) => {
    const { callId } = request.params;
    const { intent, value, caller } = request.body;
    const cacheKey = callCacheKey(env, callId);
    const known = without.has('call-cache') ? (knownByCall.get(callId) ?? {}) : await redis.hgetall(cacheKey);
    const phone = normalizePhone(caller.phone, 'US').e164;
    const operations =
      intent === 'budget_confirmed' && known.Opportunity
        ? [
            {
              method: 'PATCH',
              url: `/services/data/v${API_VERSION}/sobjects/Opportunity/${known.Opportunity}`,
              referenceId: 'refOpportunity',
              body: { Amount: value },
            },
          ]
        : [
            upsertSubrequest(env, callId, 'Account', { Name: caller.company, Phone: phone }),
            upsertSubrequest(env, callId, 'Contact', {
              FirstName: caller.firstName,
              LastName: caller.lastName,
              Phone: phone,
              Email: caller.email,
              AccountId: '@{refAccount.id}',
            }),
            upsertSubrequest(env, callId, 'Opportunity', {
              Name: `${caller.company} - call ${callId}`,
              StageName: 'Demo Scheduled',
              CloseDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
              AccountId: '@{refAccount.id}',
              Demo_Requested_At__c: new Date().toISOString(),
            }),
          ];
    const write = { id: randomUUID(), callId, intent };
    const payload = { caller: { ...caller, phone }, records: known, now: new Date().toISOString() };
    await insertWrite(pool, env, { ...write, kind: 'intent', payload, operations });
    const answer = await salesforce.composite(operations);
    await markWritten(pool, env, write, answer, 'in-call');
    if (without.has('call-cache')) knownByCall.set(callId, { ...known, ...answer.ids });
    else await rememberRecords(redis, cacheKey, answer.ids);
    return reply
      .header('server-timing', timing(answer.salesforceMs))
      .send({ writeId: write.id, status: 'written', records: { ...known, ...answer.ids } });
  },
);

app.post<{
  Params: { callId: string };
  Body: { summary: string; durationSeconds: number; direction: string };
}>('/v1/calls/:callId/complete', async (request, reply) => {
  const { callId } = request.params;
  const write = { id: randomUUID(), callId, intent: 'call_completed' };
  await insertWrite(pool, env, {
    ...write,
    kind: 'completion',
    payload: { call: request.body },
    operations: null,
  });
  if (without.has('queue')) {
    // Sent after the answer, in this process; the benchmark's drain waits for it in Postgres.
    reply.raw.once('finish', () => void sendCompletion(pool, env, salesforce, write.id).catch(console.error));
  } else {
    await queue.add(
      'send-write',
      { writeId: write.id },
      { jobId: write.id, removeOnComplete: { count: 10_000 } },
    );
  }
  return reply.code(202).send({ writeId: write.id, status: 'queued' });
});

app.get('/health/ready', (_request, reply) => reply.send({ status: 'ok' }));

const shutdown = () =>
  void app
    .close()
    .then(() => Promise.all([pool.end(), queue.close(), salesforce.close()]))
    .then(() => redis.quit())
    .finally(() => process.exit(0));
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
