import 'reflect-metadata';
import { startSandboxOrg } from '../sandbox-org';
import { createApiApp } from '../src/bootstrap/create-api-app';
import { createWorkerApp } from '../src/bootstrap/create-worker-app';
import { appConfig } from '../src/config/app.config';
import { databaseConfig } from '../src/config/database.config';
import { ensureDevelopmentOperatorKey } from '../src/config/security.config';
import { validateEnvironment } from '../src/config/validate-environment';
import { ensureDatabaseExists } from '../src/database/ensure-database';
import { ensureConsoleBuilt } from './console-build';
import { DEMO_MAPS, provisionDemoTenant } from './demo-tenant';

/**
 * `npm start`: the newcomer's one command. Starts the sandbox org in-process (a local Salesforce), then the API
 * and a worker against Postgres and Redis on localhost (applying pending migrations first), and provisions a demo
 * tenant connected to the sandbox org with the seed's maps.
 */
async function main(): Promise<void> {
  validateEnvironment(process.env);
  const operatorKey = ensureDevelopmentOperatorKey();
  const base = Number(process.env.SANDBOX_PORT_BASE ?? 7400);
  const port = appConfig().port;
  ensureConsoleBuilt();
  const sandbox = await startSandboxOrg({
    ports: { login: base, NA130: base + 1, EU2: base + 2 },
    // "Connect with Salesforce" in the console comes back to this API, whatever its PORT.
    extraCallbackUrls: [`http://127.0.0.1:${port}/v1/connection/oauth/callback`],
  });

  const database = databaseConfig();
  await ensureDatabaseExists(database.url, database.createIfMissing);
  const api = await createApiApp();
  await api.listen({ port, host: '127.0.0.1' });
  const worker = await createWorkerApp();

  const url = `http://127.0.0.1:${port}`;
  const demo = await provisionDemoTenant(url, operatorKey, sandbox);
  process.stdout.write(
    [
      '',
      `AICall Salesforce Connector on ${url} (OpenAPI UI: ${url}/docs)`,
      `  admin console    ${url}/console (sign in with the demo admin key below)`,
      `  sandbox org      ${sandbox.loginUrl} (demo user ${sandbox.demo.username})`,
      `  operator key     ${operatorKey}`,
      `  demo tenant      ${demo.tenantId}, connected to the sandbox org, maps: ${Object.keys(DEMO_MAPS).join(', ')}`,
      `  demo admin key   ${demo.adminKey}`,
      `  demo agent key   ${demo.agentKey}`,
      '',
      'Play a whole call (lookup, intent, completion) and see the records it wrote:',
      `  AGENT_KEY=${demo.agentKey} API_URL=${url} SANDBOX_URL=${sandbox.demo.instanceUrl} npm run -s demo:call`,
      '',
      'Or look around:',
      `  curl -s ${url}/health/ready`,
      `  curl -s ${url}/v1/mappings -H "Authorization: Bearer ${demo.adminKey}"`,
      `  curl -s ${url}/v1/agent-tools -H "Authorization: Bearer ${demo.agentKey}"   (tools for voice agents; MCP at ${url}/v1/mcp)`,
      `  ${url}/admin/queues   (queue board: any user name, the operator key as password)`,
      '',
    ].join('\n'),
  );

  const stop = async () => {
    await Promise.allSettled([api.close(), worker.close(), sandbox.close()]);
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
