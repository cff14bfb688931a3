import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { startSandboxOrg, type SandboxOrg } from '../../sandbox-org';
import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { TokenCipher } from '../../src/common/crypto/token-cipher';
import { SalesforceClient } from '../../src/modules/salesforce/client/salesforce-client';
import { secretContext } from '../../src/modules/salesforce/tokens/secret-context';
import { addTenant } from '../support/connected-tenant';
import { startTestApp, type TestApp } from '../support/test-app';
import { logFileOnceWritten } from '../support/log-file';

describe('Salesforce secrets and the logs', () => {
  const directory = mkdtempSync(join(tmpdir(), 'aicall-logs-'));
  const logFile = join(directory, 'api.log');
  let sandbox: SandboxOrg;
  let t: TestApp;

  beforeAll(async () => {
    sandbox = await startSandboxOrg();
    t = await startTestApp({ LOG_FILE: logFile, LOG_LEVEL: 'debug' });
    // main.ts flushes Nest's start-up log buffer when it listens; the test app never listens.
    t.app.flushLogs();
  });
  afterAll(async () => {
    await t.close();
    await sandbox.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** Every token a tenant's row holds right now, decrypted. */
  async function tokensOf(tenantId: string): Promise<string[]> {
    const [row] = await t.app
      .get(DataSource)
      .query<Array<{ access_token_enc: string; refresh_token_enc: string | null }>>(
        'SELECT access_token_enc, refresh_token_enc FROM salesforce_connections WHERE tenant_id = $1',
        [tenantId],
      );
    const cipher = t.app.get(TokenCipher);
    return [
      cipher.decrypt(row.access_token_enc, secretContext(tenantId, 'access_token')),
      ...(row.refresh_token_enc
        ? [cipher.decrypt(row.refresh_token_enc, secretContext(tenantId, 'refresh_token'))]
        : []),
    ];
  }

  it('never writes a token, client secret or private key to the log through a full set of flows', async () => {
    const secrets = new Set<string>([
      sandbox.demo.clientSecret,
      sandbox.demo.jwtPrivateKeyPem.split('\n')[1],
    ]);
    const client = t.app.get(SalesforceClient);
    const base = { loginUrl: sandbox.loginUrl, profile: 'standard', clientId: sandbox.demo.clientId };
    const myDomain = { ...base, loginUrl: sandbox.myDomainUrl };

    const credentials = await addTenant(t);
    await t.http
      .put('/v1/connection')
      .set(credentials.admin)
      .send({ ...myDomain, flow: 'client_credentials', clientSecret: sandbox.demo.clientSecret })
      .expect(200);
    await t.http
      .put('/v1/connection')
      .set(credentials.admin)
      .send({ ...myDomain, flow: 'client_credentials', clientSecret: 'a-wrong-secret-value' })
      .expect(422);
    secrets.add('a-wrong-secret-value');

    const jwtTenant = await addTenant(t);
    await t.http
      .put('/v1/connection')
      .set(jwtTenant.admin)
      .send({
        ...base,
        flow: 'jwt_bearer',
        username: sandbox.demo.username,
        privateKeyPem: sandbox.demo.jwtPrivateKeyPem,
      })
      .expect(200);

    const web = await addTenant(t);
    const start = await t.http
      .post('/v1/connection/oauth/start')
      .set(web.admin)
      .send({ ...base, clientSecret: sandbox.demo.clientSecret, redirectUri: sandbox.demo.redirectUri })
      .expect(200);
    const redirect = await fetch(start.body.authorizeUrl as string, { redirect: 'manual' });
    const query = Object.fromEntries(new URL(redirect.headers.get('location') ?? '').searchParams);
    await t.http.get('/v1/connection/oauth/callback').query(query).expect(200);

    for (const tenant of [credentials, jwtTenant, web]) {
      (await tokensOf(tenant.tenantId)).forEach((token) => secrets.add(token));
      await client.query(tenant.tenantId, 'SELECT Id FROM Account LIMIT 1');
    }
    await control(sandbox.instances.NA130.url, 'POST', '/sessions/expire');
    for (const tenant of [credentials, jwtTenant, web]) {
      await client.query(tenant.tenantId, 'SELECT Id FROM Account LIMIT 1');
      (await tokensOf(tenant.tenantId)).forEach((token) => secrets.add(token));
    }
    await control(sandbox.instances.NA130.url, 'POST', '/faults', {
      path: '/services/data',
      status: 401,
      times: 4,
    });
    await client.query(credentials.tenantId, 'SELECT Id FROM Account LIMIT 1').catch(() => undefined);
    (await tokensOf(credentials.tenantId)).forEach((token) => secrets.add(token));
    for (const tenant of [credentials, jwtTenant, web]) {
      await t.http.delete('/v1/connection').set(tenant.admin).expect(204);
    }

    // The last line the steps above log: the answer to the last DELETE.
    const lastRequest = (await t.http.get('/health/live').set('X-Request-Id', 'secrets-log-end')).status;
    expect(lastRequest).toBe(200);
    const log = await logFileOnceWritten(logFile, (text) => text.includes('secrets-log-end'));
    expect(log).toContain('Salesforce connected');
    expect(log).toContain('Salesforce token refreshed');
    expect(secrets.size).toBeGreaterThanOrEqual(9);
    for (const secret of secrets) expect(log).not.toContain(secret);
  });
});
