import { getQueueToken } from '@nestjs/bull';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bull';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApiApp } from '../../src/bootstrap/create-api-app';
import { dropDatabase, ensureDatabaseExists } from '../../src/database/ensure-database';
import { ALL_QUEUES } from '../../src/modules/queue/queue-names';

export const TEST_OPERATOR_KEY = 'test-operator-key-0123456789-abcdefghijklmnop';
const POSTGRES_SERVER = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * The real API application on a database of its own (created, migrated, dropped afterwards) and queues under
 * a prefix of its own on the real Redis, so test files never see each other's data.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const runId = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const databaseUrl = `${POSTGRES_SERVER}/aicall_test_${runId}`;
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: `test_${runId}`,
    OPERATOR_API_KEY: TEST_OPERATOR_KEY,
    // Per-key rate limits are the subject of their own test (test/edges); elsewhere a tight test loop must not
    // run into them. A test that sets these in `env` gets its own.
    RATE_LIMIT_AGENT_REQUESTS: '1000000',
    RATE_LIMIT_ADMIN_REQUESTS: '1000000',
    RATE_LIMIT_OPERATOR_REQUESTS: '1000000',
    RATE_LIMIT_MAX_IN_FLIGHT_PER_KEY: '0',
    ...env,
  });
  await ensureDatabaseExists(databaseUrl, true);
  const app = await createApiApp().catch(async (error: unknown) => {
    // An app that refuses to start (some tests expect it to) must not leave its database behind.
    await dropDatabase(databaseUrl);
    throw error;
  });
  return {
    app,
    http: request(app.getHttpServer()),
    databaseUrl,
    async close() {
      await Promise.all(ALL_QUEUES.map((name) => obliterateQuietly(app.get<Queue>(getQueueToken(name)))));
      await app.close();
      await dropDatabase(databaseUrl);
    },
  };
}

async function obliterateQuietly(queue: Queue): Promise<void> {
  try {
    await queue.obliterate({ force: true });
  } catch {
    // Redis may be deliberately unreachable in a test; there is then nothing to clean.
  }
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
export const operator = bearer(TEST_OPERATOR_KEY);
