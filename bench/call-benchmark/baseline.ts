import { Connection } from '@jsforce/jsforce-node';
import { stringField } from './http';
import type { SandboxInfo } from './sandbox-process';

/**
 * The baseline "the way a user would without us": per write, three sequential jsforce creates (Account, then a
 * Contact on it, then an Opportunity on it), `concurrency` writes in flight at a time, against the same
 * sandbox instance with the same added latency. The sandbox's Opportunity has no ContactId field, so the
 * Opportunity references the Account only (one reference fewer than the brief's wording, same round trips).
 */

const API_VERSION = '62.0';

export interface BaselineResult {
  writes: number;
  failures: number;
  firstFailure?: string;
  /** Per write, the three creates end to end, ms. */
  latenciesMs: number[];
  durationSeconds: number;
}

/**
 * A client-credentials token for the demo app at the org's My Domain (the instance host; the login host refuses
 * this grant, §1.1), then a plain jsforce connection (stack-notes §2).
 */
export async function baselineConnection(sandbox: SandboxInfo): Promise<Connection> {
  const response = await fetch(`${sandbox.instanceUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sandbox.clientId,
      client_secret: sandbox.clientSecret,
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const token: unknown = await response.json();
  return new Connection({
    instanceUrl: stringField(token, 'instance_url'),
    accessToken: stringField(token, 'access_token'),
    version: API_VERSION,
  });
}

async function createOrThrow(conn: Connection, object: string, record: Record<string, unknown>) {
  const saved = await conn.sobject(object).create(record);
  if (!saved.success || !saved.id) throw new Error(`${object} create failed: ${JSON.stringify(saved)}`);
  return saved.id;
}

async function writeOnce(conn: Connection, index: number): Promise<void> {
  const accountId = await createOrThrow(conn, 'Account', { Name: `Baseline Caller ${index} Inc` });
  await createOrThrow(conn, 'Contact', {
    FirstName: 'Baseline',
    LastName: `Caller ${index}`,
    AccountId: accountId,
  });
  await createOrThrow(conn, 'Opportunity', {
    Name: `Baseline Caller ${index} - demo`,
    StageName: 'Demo Scheduled',
    CloseDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
    AccountId: accountId,
    Amount: 25_000,
  });
}

/** `writes` baseline writes by `concurrency` loops, each timing its writes one by one. */
export async function runBaseline(
  conn: Connection,
  writes: number,
  concurrency: number,
): Promise<BaselineResult> {
  const result: BaselineResult = { writes, failures: 0, latenciesMs: [], durationSeconds: 0 };
  let next = 0;
  const loop = async () => {
    while (next < writes) {
      const index = next++;
      const started = performance.now();
      try {
        await writeOnce(conn, index);
        result.latenciesMs.push(performance.now() - started);
      } catch (error) {
        result.failures += 1;
        result.firstFailure ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, writes) }, loop));
  result.durationSeconds = (performance.now() - started) / 1000;
  return result;
}
