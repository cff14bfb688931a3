/**
 * What pool warm-up saves: the first Salesforce call of a tenant on a cold pool (a new TCP connection, as after a
 * deploy or for a tenant just connected) against the first call on a pool warmed by `InstancePools.warm`. Each
 * round uses a fresh pool; the sandbox adds the given latency to every request, as a distant instance would.
 * The calls go through the connector's own code (SalesforceHttp → jsforce → PoolTransport → undici Pool).
 * On loopback a new TCP connection costs almost nothing, so a second run goes through a local proxy that holds
 * each new connection for `handshakeMs` before it carries bytes: the TCP + TLS handshakes to a real instance.
 *
 *   npx ts-node --transpile-only bench/pool-warmup.ts [latencyMs=20] [rounds=25] [handshakeMs=30]
 */
import { ConfigService } from '@nestjs/config';
import { connect, createServer, type Server } from 'node:net';
import { Registry } from 'prom-client';
import { startSandboxOrg } from '../sandbox-org';
import { demoToken } from '../sandbox-org/testing/sandbox-test-client';
import { salesforceConfig } from '../src/config/salesforce.config';
import type { MetricsService } from '../src/modules/metrics/metrics.service';
import { ApiUsageTracker } from '../src/modules/salesforce/client/api-usage-tracker';
import { InstancePools } from '../src/modules/salesforce/client/instance-pools';
import { SalesforceHttp } from '../src/modules/salesforce/client/salesforce-http';
import { SalesforceMetrics } from '../src/modules/salesforce/client/salesforce-metrics';

const LATENCY_MS = Number(process.argv[2] ?? 20);
const ROUNDS = Number(process.argv[3] ?? 25);
const HANDSHAKE_MS = Number(process.argv[4] ?? 30);
const SOQL = `/query?q=${encodeURIComponent('SELECT Id, Name FROM Account LIMIT 1')}`;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (n: number) => n.toFixed(2).padStart(8);

/** A TCP proxy to `target` that makes every new connection wait `delayMs` before it carries data. */
async function slowHandshakeProxy(target: URL, delayMs: number): Promise<{ url: string; server: Server }> {
  const server = createServer((client) => {
    client.pause();
    client.on('error', () => client.destroy());
    setTimeout(() => {
      const upstream = connect(Number(target.port), target.hostname, () => {
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, server };
}

async function main() {
  const sandbox = await startSandboxOrg({ latencyMs: { NA130: LATENCY_MS } });
  const token = await demoToken(sandbox);
  const config = new ConfigService({ salesforce: salesforceConfig() });
  const metrics = { registry: new Registry() } as MetricsService;

  const proxy = await slowHandshakeProxy(new URL(token.instance_url), HANDSHAKE_MS);

  /** The time of the first query on a fresh pool, warmed first or not. */
  async function firstCall(warm: boolean, instanceUrl: string): Promise<number> {
    const pools = new InstancePools(config);
    const http = new SalesforceHttp(
      pools,
      new SalesforceMetrics(metrics, pools),
      new ApiUsageTracker(metrics),
      config,
    );
    metrics.registry.clear();
    const session = http.openSession({
      tenantId: 'bench',
      instance: 'NA130',
      instanceUrl,
      tokenVersion: 1,
      accessToken: token.access_token,
    });
    try {
      if (warm) await pools.warm(instanceUrl);
      const started = performance.now();
      await http.send(session, { method: 'GET', path: SOQL }, AbortSignal.timeout(5000));
      return performance.now() - started;
    } finally {
      await pools.onModuleDestroy();
    }
  }

  try {
    await firstCall(true, token.instance_url); // JIT and module warm-up, not measured
    console.log(
      `first Salesforce call on a fresh pool: sandbox latency ${LATENCY_MS} ms, ${ROUNDS} rounds, ms`,
    );
    console.log('network                  pool    median       min       max');
    const routes = [
      ['loopback', token.instance_url],
      [`+${HANDSHAKE_MS} ms handshake`, proxy.url],
    ] as const;
    for (const [network, instanceUrl] of routes) {
      const cold: number[] = [];
      const warm: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        cold.push(await firstCall(false, instanceUrl));
        warm.push(await firstCall(true, instanceUrl));
      }
      for (const [pool, values] of [
        ['cold', cold],
        ['warm', warm],
      ] as const) {
        const row = `${network.padEnd(24)} ${pool.padEnd(5)} ${ms(median(values))}  ${ms(Math.min(...values))}`;
        console.log(`${row}  ${ms(Math.max(...values))}`);
      }
    }
  } finally {
    proxy.server.close();
    await sandbox.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
