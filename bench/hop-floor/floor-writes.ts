import type { Pool } from 'pg';
import type Redis from 'ioredis';
import { Pool as HttpPool } from 'undici';
import { auditRecordOf, journalInsert } from '../../src/common/audit/audit-journal';
import { WritesEvents } from '../../src/modules/writes/events/writes.events';
import type { Actor } from '../../src/common/auth/principal';
import { moveStatement } from '../../src/modules/writes/services/write-outbox';

/**
 * What the floor's API and worker share: the Salesforce pool, the write rows with their audit entries (the
 * connector's own move statement and journal), and the call cache. Each helper is one round trip.
 */

export const API_VERSION = '62.0';
const CALL_CACHE_TTL_SECONDS = 3600;

export interface FloorEnv {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  tenantId: string;
  instanceUrl: string;
  accessToken: string;
}

export function floorEnv(): FloorEnv {
  const required = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  return {
    databaseUrl: required('DATABASE_URL'),
    redisUrl: required('REDIS_URL'),
    queuePrefix: required('QUEUE_PREFIX'),
    tenantId: required('FLOOR_TENANT_ID'),
    instanceUrl: required('FLOOR_INSTANCE_URL'),
    accessToken: required('FLOOR_ACCESS_TOKEN'),
  };
}

export interface CompositeAnswer {
  ids: Record<string, string>;
  salesforceMs: number;
}

/** Salesforce over one keep-alive pool, as the connector's client does (undici, no jsforce). */
export class FloorSalesforce {
  private readonly pool: HttpPool;

  constructor(private readonly env: FloorEnv) {
    this.pool = new HttpPool(env.instanceUrl, { connections: 100 });
  }

  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await this.pool.request({
      method,
      path,
      headers: {
        authorization: `Bearer ${this.env.accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const parsed: unknown = await response.body.json();
    if (response.statusCode >= 300)
      throw new Error(`Salesforce ${response.statusCode}: ${JSON.stringify(parsed)}`);
    return parsed;
  }

  /** A composite; the ids it answered by reference (`refAccount` → Account). */
  async composite(compositeRequest: unknown[]): Promise<CompositeAnswer> {
    const started = performance.now();
    const answer = (await this.request('POST', `/services/data/v${API_VERSION}/composite`, {
      allOrNone: true,
      collateSubrequests: false,
      compositeRequest,
    })) as {
      compositeResponse: Array<{ referenceId: string; httpStatusCode: number; body: { id?: string } }>;
    };
    const ids: Record<string, string> = {};
    for (const entry of answer.compositeResponse) {
      if (entry.httpStatusCode >= 300) throw new Error(`subrequest failed: ${JSON.stringify(entry)}`);
      if (entry.body?.id) ids[entry.referenceId.replace(/^ref/, '')] = entry.body.id;
    }
    return { ids, salesforceMs: performance.now() - started };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** The agent key every simulated call uses, as its audit entries name it. */
const agentOf = (env: FloorEnv): Actor => ({ role: 'agent', tenantId: env.tenantId, keyId: 'floor-agent' });

/** A Salesforce upsert subrequest by the connector's external id (tenant:call). */
export function upsertSubrequest(
  env: FloorEnv,
  callId: string,
  object: string,
  body: Record<string, unknown>,
) {
  return {
    method: 'PATCH',
    url: `/services/data/v${API_VERSION}/sobjects/${object}/AICall_External_Id__c/${encodeURIComponent(`${env.tenantId}:${callId}`)}`,
    referenceId: `ref${object}`,
    body,
  };
}

/** One prepared statement per text, as the connector's PreparedStatements. */
const names = new Map<string, string>();
async function prepared<Row extends object>(pool: Pool, text: string, values: unknown[]): Promise<Row[]> {
  let name = names.get(text);
  if (!name) names.set(text, (name = `floor_${names.size}`));
  return (await pool.query<Row>({ name, text, values })).rows;
}

/** The write row and its `write.requested` audit entry in one statement, flushed before anything is sent. */
export async function insertWrite(
  pool: Pool,
  env: FloorEnv,
  write: {
    id: string;
    callId: string;
    intent: string;
    kind: 'intent' | 'completion';
    payload: unknown;
    operations: unknown;
  },
): Promise<void> {
  const journal = journalInsert(
    [
      auditRecordOf(
        WritesEvents.WriteRequested,
        { type: 'write', id: write.id },
        {
          tenantId: env.tenantId,
          actor: agentOf(env),
          callId: write.callId,
          intent: write.intent,
          kind: write.kind,
        },
      ),
    ],
    8,
    'inserted',
  );
  await prepared(
    pool,
    `WITH inserted AS (
       INSERT INTO writes (id, tenant_id, call_id, intent, kind, status, payload, operations, operations_done, notes)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, 0, '[]') RETURNING id
     ), journal AS (${journal.sql})
     SELECT id FROM inserted`,
    [
      write.id,
      env.tenantId,
      write.callId,
      write.intent,
      write.kind,
      JSON.stringify(write.payload),
      JSON.stringify(write.operations),
      ...journal.params,
    ],
  );
}

/** The connector's own `written` move: status, attempt and two audit entries in one statement. */
export async function markWritten(
  pool: Pool,
  env: FloorEnv,
  write: { id: string; callId: string; intent: string },
  answer: CompositeAnswer,
  via: 'in-call' | 'queued',
): Promise<void> {
  const statement = moveStatement(
    { ...write, tenantId: env.tenantId, actor: agentOf(env) },
    {
      move: 'written',
      via,
      records: answer.ids,
      change: {
        recordIds: answer.ids,
        operationsDone: 1,
        attempt: {
          operation: 0,
          via,
          outcome: 'written',
          durationMs: answer.salesforceMs,
          startedAt: new Date(),
        },
      },
    },
  );
  await prepared(pool, statement.text, statement.values);
}

/** What the worker reads of a completion and the other writes of its call. */
function callWrites(pool: Pool, writeId: string) {
  return prepared<{ id: string; call_id: string; intent: string; record_ids: Record<string, string> }>(
    pool,
    `SELECT w.id, w.call_id, w.intent, w.record_ids FROM writes me
     JOIN writes w ON w.tenant_id = me.tenant_id AND w.call_id = me.call_id WHERE me.id = $1 ORDER BY w.created_at`,
    [writeId],
  );
}

export const callCacheKey = (env: FloorEnv, callId: string) => `${env.queuePrefix}:floor-call:${callId}`;

export async function rememberRecords(redis: Redis, key: string, ids: Record<string, string>): Promise<void> {
  if (Object.keys(ids).length === 0) return;
  await redis.pipeline().hset(key, ids).expire(key, CALL_CACHE_TTL_SECONDS).exec();
}

/**
 * A completion: reads its call's writes, upserts the Task in one composite, makes the `written` move. The ids it
 * wrote, for the call cache.
 */
export async function sendCompletion(
  pool: Pool,
  env: FloorEnv,
  salesforce: FloorSalesforce,
  writeId: string,
): Promise<{ callId: string; ids: Record<string, string> }> {
  const writes = await callWrites(pool, writeId);
  const completion = writes.find((write) => write.id === writeId);
  if (!completion) throw new Error(`write ${writeId} not found`);
  const records = Object.assign({}, ...writes.map((write) => write.record_ids)) as Record<string, string>;
  const answer = await salesforce.composite([
    upsertSubrequest(env, completion.call_id, 'Task', {
      Subject: 'Inbound call',
      WhoId: records.Contact ?? null,
      WhatId: records.Opportunity ?? null,
      TaskSubtype: 'Call',
      Status: 'Completed',
      CallType: 'Inbound',
      CallDurationInSeconds: 95,
      Description: 'Demo booked; budget confirmed',
      CallObject: completion.call_id,
      ActivityDate: new Date().toISOString().slice(0, 10),
    }),
  ]);
  await markWritten(pool, env, { ...completion, callId: completion.call_id }, answer, 'queued');
  return { callId: completion.call_id, ids: answer.ids };
}

/**
 * Hops a run leaves out, to price them (`--without=`): `rate-limit` (the per-request Redis count),
 * `call-cache` (known record ids kept in the API's memory instead of Redis), `queue` (the API sends the Task
 * itself after answering 202: no Bull job, no worker).
 */
export type FloorHop = 'rate-limit' | 'call-cache' | 'queue';
export const FLOOR_HOPS: readonly FloorHop[] = ['rate-limit', 'call-cache', 'queue'];

export function hopsLeftOut(): Set<FloorHop> {
  const names = (process.env.FLOOR_WITHOUT ?? '').split(',').filter(Boolean);
  for (const name of names)
    if (!FLOOR_HOPS.includes(name as FloorHop))
      throw new Error(`unknown hop "${name}" (${FLOOR_HOPS.join(', ')})`);
  return new Set(names as FloorHop[]);
}
