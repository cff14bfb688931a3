import { startSandboxOrg } from '../../sandbox-org';

/**
 * Child-process entry of the call benchmark: the sandbox org on ephemeral 127.0.0.1 ports, in a process of its
 * own so the load on the API cannot skew its timing. Prints one JSON line (`SandboxInfo`) once it listens.
 *
 *   BENCH_SANDBOX_LATENCY_MS=50 node -r ts-node/register/transpile-only bench/call-benchmark/sandbox-process.ts
 */
export interface SandboxInfo {
  /** The demo org's instance host, which is also its My Domain (where client credentials are granted). */
  instanceUrl: string;
  instanceNames: string[];
  instanceUrls: string[];
  clientId: string;
  clientSecret: string;
}

export const SANDBOX_READY_PREFIX = 'SANDBOX_READY ';

async function main(): Promise<void> {
  const latencyMs = Number(process.env.BENCH_SANDBOX_LATENCY_MS ?? 50);
  const sandbox = await startSandboxOrg({
    host: '127.0.0.1',
    // Added latency on the instances only: the login host is not on the call path.
    latencyMs: { NA130: latencyMs, EU2: latencyMs },
    // The seeded daily allowance (100,000) is a real org's; a long benchmark must not run into it.
    settings: { dailyApiLimit: 100_000_000 },
    logRequests: false,
  });
  const instances = Object.values(sandbox.instances);
  const info: SandboxInfo = {
    instanceUrl: sandbox.demo.myDomainUrl,
    instanceNames: instances.map((instance) => instance.name),
    instanceUrls: instances.map((instance) => instance.url),
    clientId: sandbox.demo.clientId,
    clientSecret: sandbox.demo.clientSecret,
  };
  process.stdout.write(`${SANDBOX_READY_PREFIX}${JSON.stringify(info)}\n`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// Only as a process entry: the benchmark imports the constant and the type above.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
