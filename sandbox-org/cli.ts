import { startSandboxOrg } from './index';

/**
 * `npm run sandbox`: login host on 7400, NA130 on 7401, EU2 on 7402 (`SANDBOX_PORT_BASE` moves them).
 * `SANDBOX_HOST` is the bind address (default 127.0.0.1) and `SANDBOX_PUBLIC_HOST` the name put in URLs.
 */
async function main() {
  const base = Number(process.env.SANDBOX_PORT_BASE ?? 7400);
  const sandbox = await startSandboxOrg({
    host: process.env.SANDBOX_HOST,
    publicHost: process.env.SANDBOX_PUBLIC_HOST,
    ports: { login: base, NA130: base + 1, EU2: base + 2 },
    logRequests: true,
  });
  const { demo } = sandbox;
  const lines = [
    'Sandbox org running (a local stand-in for Salesforce; demo credentials only).',
    `  login URL        ${sandbox.loginUrl}`,
    ...Object.values(sandbox.instances).map(
      (i) => `  instance ${i.name.padEnd(7)} ${i.url}  (region ${i.region})`,
    ),
    '',
    `  demo org         ${demo.orgId} on ${demo.instance}`,
    `  My Domain        ${demo.myDomainUrl}  (client credentials only work here, not at the login URL)`,
    `  username         ${demo.username}`,
    `  client id        ${demo.clientId}`,
    `  client secret    ${demo.clientSecret}`,
    `  redirect URI     ${demo.redirectUri}`,
    '  JWT private key  sandbox-org/org-definition/demo-jwt-private-key.pem (demo only)',
    `  restricted app   ${demo.restrictedClientId} / ${demo.restrictedClientSecret}`,
    `  EU org           ${demo.euOrg.username} on ${demo.euOrg.instance}: ${demo.euOrg.clientId} / ${demo.euOrg.clientSecret}`,
    '',
    `  control API      ${sandbox.instances.NA130.url}/__sandbox/requests (and /faults, /latency, /reset, …)`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
