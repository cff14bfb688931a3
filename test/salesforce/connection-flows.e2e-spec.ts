import { EventEmitter2 } from '@nestjs/event-emitter';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { DataSource } from 'typeorm';
import { startSandboxOrg, type SandboxOrg } from '../../sandbox-org';
import { TokenCipher } from '../../src/common/crypto/token-cipher';
import { SalesforceClient } from '../../src/modules/salesforce/client/salesforce-client';
import { ConnectionsService } from '../../src/modules/salesforce/connections.service';
import { SalesforceEvents } from '../../src/modules/salesforce/events/salesforce.events';
import { secretContext } from '../../src/modules/salesforce/tokens/secret-context';
import { addTenant, type TestTenant } from '../support/connected-tenant';
import { startTestApp, type TestApp } from '../support/test-app';

describe('Salesforce connection flows', () => {
  let sandbox: SandboxOrg;
  let t: TestApp;
  const events: Array<{ name: string; payload: Record<string, unknown> }> = [];

  beforeAll(async () => {
    sandbox = await startSandboxOrg();
    t = await startTestApp();
    const emitter = t.app.get(EventEmitter2);
    for (const name of Object.values(SalesforceEvents)) {
      emitter.on(name, (payload: Record<string, unknown>) => events.push({ name, payload }));
    }
  });
  afterAll(async () => {
    await t.close();
    await sandbox.close();
  });

  const clientCredentials = (overrides: Record<string, unknown> = {}) => ({
    flow: 'client_credentials',
    // The org's My Domain: the sandbox's instance host plays it (salesforce-rest.md §1.1).
    loginUrl: sandbox.myDomainUrl,
    profile: 'standard',
    clientId: sandbox.demo.clientId,
    clientSecret: sandbox.demo.clientSecret,
    ...overrides,
  });
  const jwtBearer = (overrides: Record<string, unknown> = {}) => ({
    flow: 'jwt_bearer',
    loginUrl: sandbox.loginUrl,
    profile: 'standard',
    clientId: sandbox.demo.clientId,
    username: sandbox.demo.username,
    privateKeyPem: sandbox.demo.jwtPrivateKeyPem,
    ...overrides,
  });

  const storedRows = async (tenantId: string) =>
    t.app
      .get(DataSource)
      .query<Array<Record<string, unknown>>>('SELECT * FROM salesforce_connections WHERE tenant_id = $1', [
        tenantId,
      ]);
  const decrypt = (tenantId: string, value: unknown, column: 'access_token' | 'refresh_token') =>
    t.app.get(TokenCipher).decrypt(String(value), secretContext(tenantId, column));

  async function expectNothingStored(tenant: TestTenant) {
    expect(await storedRows(tenant.tenantId)).toEqual([]);
    const res = await t.http.get('/v1/connection').set(tenant.admin).expect(404);
    expect(res.body.code).toBe('NOT_CONNECTED');
  }

  async function startWebFlow(tenant: TestTenant, overrides: Record<string, unknown> = {}) {
    const res = await t.http
      .post('/v1/connection/oauth/start')
      .set(tenant.admin)
      .send({
        loginUrl: sandbox.loginUrl,
        profile: 'standard',
        clientId: sandbox.demo.clientId,
        clientSecret: sandbox.demo.clientSecret,
        redirectUri: sandbox.demo.redirectUri,
        ...overrides,
      })
      .expect(200);
    return new URL(res.body.authorizeUrl as string);
  }

  /** Plays the browser: follows the authorize URL and reads Salesforce's redirect back. */
  async function authorize(authorizeUrl: URL): Promise<Record<string, string>> {
    const response = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(response.status).toBe(302);
    return Object.fromEntries(new URL(response.headers.get('location') ?? '').searchParams);
  }

  it('lists the three scope profiles', async () => {
    const tenant = await addTenant(t);
    const res = await t.http.get('/v1/connection/profiles').set(tenant.admin).expect(200);
    expect(res.body).toEqual([
      { name: 'standard', scopes: ['api', 'refresh_token', 'offline_access'] },
      { name: 'extended', scopes: ['api', 'refresh_token', 'offline_access', 'web', 'full'] },
      { name: 'privileged', scopes: ['api', 'refresh_token', 'offline_access', 'chatter_api'] },
    ]);
    await t.http.get('/v1/connection/profiles').set(tenant.agent).expect(403);
  });

  describe('client credentials', () => {
    it('exchanges a token at once, learns the instance and region, stores the token encrypted, never returns it', async () => {
      const tenant = await addTenant(t);
      const res = await t.http.put('/v1/connection').set(tenant.admin).send(clientCredentials()).expect(200);
      expect(res.body).toMatchObject({
        status: 'connected',
        flow: 'client_credentials',
        instanceUrl: sandbox.demo.instanceUrl,
        instance: 'NA130',
        region: 'us',
        profile: 'standard',
        scopes: ['api'],
        orgId: sandbox.demo.orgId,
      });

      const [row] = await storedRows(tenant.tenantId);
      const accessToken = decrypt(tenant.tenantId, row.access_token_enc, 'access_token');
      expect(accessToken).toMatch(/^00D\w+!/);
      const raw = JSON.stringify(row);
      expect(raw).not.toContain(accessToken);
      expect(raw).not.toContain(sandbox.demo.clientSecret);

      const shown = await t.http.get('/v1/connection').set(tenant.admin).expect(200);
      expect(shown.body).toMatchObject({ status: 'connected', flow: 'client_credentials', scopes: ['api'] });
      expect(JSON.stringify(shown.body)).not.toContain(accessToken);
      expect(JSON.stringify(shown.body)).not.toContain(sandbox.demo.clientSecret);

      const result = await t.app
        .get(SalesforceClient)
        .query(tenant.tenantId, 'SELECT Id, Name FROM Account LIMIT 1');
      expect(result.records).toHaveLength(1);
      expect(events).toContainEqual({
        name: SalesforceEvents.Connected,
        payload: expect.objectContaining({
          tenantId: tenant.tenantId,
          flow: 'client_credentials',
          actor: expect.objectContaining({ role: 'admin', tenantId: tenant.tenantId }),
        }),
      });
    });

    it('answers 422 with Salesforce error for a wrong client secret, and stores nothing', async () => {
      const tenant = await addTenant(t);
      const res = await t.http
        .put('/v1/connection')
        .set(tenant.admin)
        .send(clientCredentials({ clientSecret: 'wrong-secret' }))
        .expect(422);
      expect(res.body).toMatchObject({
        code: 'SALESFORCE_CONNECT_FAILED',
        problems: [{ field: 'salesforce', code: 'invalid_client', message: 'invalid client credentials' }],
      });
      await expectNothingStored(tenant);
    });

    it('answers 422 when the login URL cannot be reached, and stores nothing', async () => {
      const tenant = await addTenant(t);
      const closedPort = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const address = server.address();
          server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
        });
      });
      const res = await t.http
        .put('/v1/connection')
        .set(tenant.admin)
        .send(clientCredentials({ loginUrl: `http://127.0.0.1:${closedPort}` }))
        .expect(422);
      expect(res.body.code).toBe('SALESFORCE_CONNECT_FAILED');
      expect(res.body.problems[0].code).toBe('NETWORK_ERROR');
      expect(res.body.problems[0].message).toContain('ECONNREFUSED');
      await expectNothingStored(tenant);
    });

    it('refuses client credentials at a login host, naming My Domain, and stores nothing', async () => {
      const tenant = await addTenant(t);
      // The sandbox's login host answers as Salesforce does: invalid_grant "request not supported on this domain".
      const atSandboxLogin = await t.http
        .put('/v1/connection')
        .set(tenant.admin)
        .send(clientCredentials({ loginUrl: sandbox.loginUrl }))
        .expect(422);
      expect(atSandboxLogin.body.code).toBe('MY_DOMAIN_REQUIRED');
      expect(atSandboxLogin.body.message).toMatch(/My Domain/);
      expect(atSandboxLogin.body.message).toMatch(/Setup → My Domain/);
      // login.salesforce.com and test.salesforce.com are refused by name, before any request leaves.
      for (const target of [{ environment: 'production' }, { environment: 'sandbox' }]) {
        const res = await t.http
          .put('/v1/connection')
          .set(tenant.admin)
          .send(clientCredentials({ loginUrl: undefined, ...target }))
          .expect(422);
        expect(res.body.code).toBe('MY_DOMAIN_REQUIRED');
      }
      await expectNothingStored(tenant);
    });

    it('refuses a login URL that is not a Salesforce host or an allowed one, before calling it', async () => {
      const tenant = await addTenant(t);
      for (const loginUrl of [
        'http://169.254.169.254',
        'https://intranet.example.com',
        `${sandbox.demo.instanceUrl}/services/oauth2/token`,
        'https://user:secret@acme.my.salesforce.com',
        'http://acme.my.salesforce.com',
      ]) {
        const res = await t.http
          .put('/v1/connection')
          .set(tenant.admin)
          .send(clientCredentials({ loginUrl }))
          .expect(422);
        expect({ loginUrl, code: res.body.code }).toEqual({ loginUrl, code: 'LOGIN_URL_INVALID' });
      }
      await expectNothingStored(tenant);
    });

    it('refuses a connected app that does not grant the profile scopes (SCOPE_NOT_GRANTED)', async () => {
      const tenant = await addTenant(t);
      const res = await t.http
        .put('/v1/connection')
        .set(tenant.admin)
        .send(
          clientCredentials({
            clientId: sandbox.demo.restrictedClientId,
            clientSecret: sandbox.demo.restrictedClientSecret,
          }),
        )
        .expect(422);
      expect(res.body.code).toBe('SCOPE_NOT_GRANTED');
      expect(res.body.message).toContain('api');
      await expectNothingStored(tenant);
    });

    it('refuses an operation beyond the profile with SCOPE_INSUFFICIENT naming the profile required', async () => {
      const tenant = await addTenant(t);
      await t.http.put('/v1/connection').set(tenant.admin).send(clientCredentials()).expect(200);
      const connections = t.app.get(ConnectionsService);
      await expect(
        connections.assertOperationAllowed(tenant.tenantId, 'sobject-write'),
      ).resolves.toBeUndefined();
      await expect(connections.assertOperationAllowed(tenant.tenantId, 'chatter-post')).rejects.toMatchObject(
        {
          code: 'SCOPE_INSUFFICIENT',
          requiredProfile: 'privileged',
          message: expect.stringContaining('privileged'),
        },
      );

      await t.http
        .put('/v1/connection')
        .set(tenant.admin)
        .send(clientCredentials({ profile: 'privileged' }))
        .expect(200);
      await expect(
        connections.assertOperationAllowed(tenant.tenantId, 'chatter-post'),
      ).resolves.toBeUndefined();
    });

    it('validates the body: client_credentials needs a clientSecret', async () => {
      const tenant = await addTenant(t);
      const res = await t.http
        .put('/v1/connection')
        .set(tenant.admin)
        .send(clientCredentials({ clientSecret: undefined }))
        .expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.problems).toContainEqual(expect.objectContaining({ field: 'clientSecret' }));
    });
  });

  describe('JWT bearer', () => {
    it('signs an assertion with the private key and connects; the key is stored encrypted', async () => {
      const tenant = await addTenant(t);
      const res = await t.http.put('/v1/connection').set(tenant.admin).send(jwtBearer()).expect(200);
      expect(res.body).toMatchObject({
        status: 'connected',
        flow: 'jwt_bearer',
        instance: 'NA130',
        // As granted: the scope list of the token response, even though JWT bearer never returns a refresh token.
        scopes: ['api', 'refresh_token', 'offline_access'],
        username: sandbox.demo.username,
      });
      const [row] = await storedRows(tenant.tenantId);
      const keyBody = sandbox.demo.jwtPrivateKeyPem.split('\n')[1];
      expect(JSON.stringify(row)).not.toContain(keyBody);
      const describe = await t.app.get(SalesforceClient).describeSObject(tenant.tenantId, 'Contact');
      expect(describe.name).toBe('Contact');
    });

    it('answers 422 for an unknown user, a wrong private key and an unusable key, storing nothing', async () => {
      const tenant = await addTenant(t);
      const unknownUser = await t.http
        .put('/v1/connection')
        .set(tenant.admin)
        .send(jwtBearer({ username: 'nobody@aicall-demo.example' }))
        .expect(422);
      expect(unknownUser.body.problems[0]).toMatchObject({ code: 'invalid_grant' });

      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      });
      const wrongKey = await t.http
        .put('/v1/connection')
        .set(tenant.admin)
        .send(jwtBearer({ privateKeyPem: otherKey }))
        .expect(422);
      expect(wrongKey.body.problems[0]).toMatchObject({
        code: 'invalid_grant',
        message: 'invalid assertion',
      });

      const garbage = await t.http
        .put('/v1/connection')
        .set(tenant.admin)
        .send(jwtBearer({ privateKeyPem: 'not a key' }))
        .expect(422);
      expect(garbage.body.problems[0]).toMatchObject({ code: 'invalid_private_key' });
      await expectNothingStored(tenant);
    });
  });

  describe('web server flow with PKCE', () => {
    it('takes an environment: production and sandbox log in at their standard hosts', async () => {
      const tenant = await addTenant(t);
      const production = await startWebFlow(tenant, { loginUrl: undefined, environment: 'production' });
      expect(production.origin).toBe('https://login.salesforce.com');
      const sandboxEnv = await startWebFlow(tenant, { loginUrl: undefined, environment: 'sandbox' });
      expect(sandboxEnv.origin).toBe('https://test.salesforce.com');
      const myDomain = await startWebFlow(tenant, {
        environment: 'my_domain',
        loginUrl: 'https://acme.my.salesforce.com',
      });
      expect(myDomain.origin).toBe('https://acme.my.salesforce.com');
    });

    it('sends the admin to Salesforce with S256 PKCE and a state, and the callback connects the tenant', async () => {
      const tenant = await addTenant(t);
      const bystander = await addTenant(t);
      const authorizeUrl = await startWebFlow(tenant);
      expect(authorizeUrl.origin).toBe(sandbox.loginUrl);
      expect(authorizeUrl.pathname).toBe('/services/oauth2/authorize');
      expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
        response_type: 'code',
        client_id: sandbox.demo.clientId,
        redirect_uri: sandbox.demo.redirectUri,
        scope: 'api refresh_token offline_access',
        code_challenge_method: 'S256',
        code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      });

      const redirect = await authorize(authorizeUrl);
      const res = await t.http
        .get('/v1/connection/oauth/callback')
        .query({ code: redirect.code, state: redirect.state })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'connected',
        flow: 'web_server',
        instance: 'NA130',
        region: 'us',
        scopes: ['api', 'refresh_token', 'offline_access'],
      });
      const [row] = await storedRows(tenant.tenantId);
      const refreshToken = decrypt(tenant.tenantId, row.refresh_token_enc, 'refresh_token');
      expect(JSON.stringify(row)).not.toContain(refreshToken);
      expect(JSON.stringify(res.body)).not.toContain(refreshToken);

      // The state named the tenant that started the flow, and only that one.
      await expectNothingStored(bystander);
      const reused = await t.http
        .get('/v1/connection/oauth/callback')
        .query({ code: redirect.code, state: redirect.state })
        .expect(400);
      expect(reused.body.code).toBe('OAUTH_STATE_INVALID');
    });

    it('answers 400 for a foreign or expired state, storing nothing', async () => {
      const tenant = await addTenant(t);
      const forged = await t.http
        .get('/v1/connection/oauth/callback')
        .query({ code: 'aPrxsomething', state: 'a-state-this-service-never-issued' })
        .expect(400);
      expect(forged.body.code).toBe('OAUTH_STATE_INVALID');

      const redirect = await authorize(await startWebFlow(tenant));
      await t.app
        .get(DataSource)
        .query(
          `UPDATE salesforce_oauth_states SET expires_at = now() - interval '1 minute' WHERE tenant_id = $1`,
          [tenant.tenantId],
        );
      const expired = await t.http
        .get('/v1/connection/oauth/callback')
        .query({ code: redirect.code, state: redirect.state })
        .expect(400);
      expect(expired.body.code).toBe('OAUTH_STATE_EXPIRED');
      await expectNothingStored(tenant);
    });

    it('answers 422 with Salesforce error when the user denies consent, storing nothing', async () => {
      const tenant = await addTenant(t);
      const authorizeUrl = await startWebFlow(tenant);
      authorizeUrl.searchParams.set('sandbox_consent', 'deny');
      const redirect = await authorize(authorizeUrl);
      expect(redirect.error).toBe('access_denied');
      const res = await t.http.get('/v1/connection/oauth/callback').query(redirect).expect(422);
      expect(res.body).toMatchObject({
        code: 'SALESFORCE_CONNECT_FAILED',
        problems: [{ code: 'access_denied', message: 'end-user denied authorization' }],
      });
      await expectNothingStored(tenant);
    });
  });

  describe('DELETE /v1/connection', () => {
    it('revokes the tokens at Salesforce, then forgets the connection', async () => {
      const tenant = await addTenant(t);
      const redirect = await authorize(await startWebFlow(tenant));
      await t.http
        .get('/v1/connection/oauth/callback')
        .query({ code: redirect.code, state: redirect.state })
        .expect(200);
      const [row] = await storedRows(tenant.tenantId);
      const accessToken = decrypt(tenant.tenantId, row.access_token_enc, 'access_token');
      const refreshToken = decrypt(tenant.tenantId, row.refresh_token_enc, 'refresh_token');

      await t.http.delete('/v1/connection').set(tenant.admin).expect(204);
      const data = await fetch(`${sandbox.demo.instanceUrl}/services/data/v62.0/limits`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(data.status).toBe(401);
      const refresh = await fetch(`${sandbox.loginUrl}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: sandbox.demo.clientId,
          client_secret: sandbox.demo.clientSecret,
        }),
      });
      expect(refresh.status).toBe(400);
      await expectNothingStored(tenant);
      await expect(
        t.app.get(SalesforceClient).query(tenant.tenantId, 'SELECT Id FROM Account'),
      ).rejects.toMatchObject({
        code: 'SALESFORCE_NOT_CONNECTED',
      });
      expect(events).toContainEqual({
        name: SalesforceEvents.Disconnected,
        payload: expect.objectContaining({ tenantId: tenant.tenantId }),
      });
      await t.http.delete('/v1/connection').set(tenant.admin).expect(404);
    });
  });
});
