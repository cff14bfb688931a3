import { EventEmitter2 } from '@nestjs/event-emitter';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { createApiApp } from '../../src/bootstrap/create-api-app';
import { TokenCipher } from '../../src/common/crypto/token-cipher';
import { SalesforceClient } from '../../src/modules/salesforce/client/salesforce-client';
import { SalesforceEvents } from '../../src/modules/salesforce/events/salesforce.events';
import { secretContext } from '../../src/modules/salesforce/tokens/secret-context';
import {
  addTenant,
  startConnectedTenant,
  type ConnectedTenant,
  type TestTenant,
} from '../support/connected-tenant';

const REFRESH_BUDGET = 3;
const SOQL = 'SELECT Id FROM Account LIMIT 1';

describe('Token refresh', () => {
  let c: ConnectedTenant;
  /** A second API process on the same database: its own caches and pools, as in production. */
  let other: NestFastifyApplication;
  const events: Array<{ name: string; payload: Record<string, unknown> }> = [];

  beforeAll(async () => {
    c = await startConnectedTenant({ env: { SALESFORCE_REFRESH_BUDGET: String(REFRESH_BUDGET) } });
    other = await createApiApp();
    for (const app of [c.t.app, other]) {
      const emitter = app.get(EventEmitter2);
      for (const name of Object.values(SalesforceEvents)) {
        emitter.on(name, (payload: Record<string, unknown>) => events.push({ name, payload }));
      }
    }
  });
  afterAll(async () => {
    await other.close();
    await c.close();
  });
  afterEach(() => control(c.sandbox.instances.NA130.url, 'DELETE', '/faults'));

  const na130 = () => c.sandbox.instances.NA130.url;
  const tokenRequests = async () => {
    const log = await control(na130(), 'GET', '/requests');
    return (log.body as { countsByPath: Record<string, number> }).countsByPath['/services/oauth2/token'] ?? 0;
  };
  const dataRequests = async () => {
    const log = await control(na130(), 'GET', '/requests');
    return (log.body as { requests: Array<{ path: string }> }).requests.filter((r) =>
      r.path.includes('/query'),
    ).length;
  };

  async function connect(tenant: TestTenant, body: Record<string, unknown> = {}) {
    await c.t.http
      .put('/v1/connection')
      .set(tenant.admin)
      .send({
        flow: 'client_credentials',
        loginUrl: na130(),
        profile: 'standard',
        clientId: c.sandbox.demo.clientId,
        clientSecret: c.sandbox.demo.clientSecret,
        ...body,
      })
      .expect(200);
  }

  async function connectWebServer(tenant: TestTenant) {
    const start = await c.t.http
      .post('/v1/connection/oauth/start')
      .set(tenant.admin)
      .send({
        loginUrl: c.sandbox.loginUrl,
        profile: 'standard',
        clientId: c.sandbox.demo.clientId,
        clientSecret: c.sandbox.demo.clientSecret,
        redirectUri: c.sandbox.demo.redirectUri,
      })
      .expect(200);
    const redirect = await fetch(start.body.authorizeUrl as string, { redirect: 'manual' });
    const query = Object.fromEntries(new URL(redirect.headers.get('location') ?? '').searchParams);
    await c.t.http.get('/v1/connection/oauth/callback').query(query).expect(200);
  }

  it('50 concurrent calls on an expired token, across two processes, make exactly one token request', async () => {
    const clients = [c.t.app.get(SalesforceClient), other.get(SalesforceClient)];
    await Promise.all(clients.map((client) => client.query(c.tenantId, SOQL)));
    await control(na130(), 'POST', '/sessions/expire');
    const before = await tokenRequests();

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => clients[i % 2].query(c.tenantId, SOQL)),
    );

    expect(results.every((result) => result.records.length === 1)).toBe(true);
    expect((await tokenRequests()) - before).toBe(1);
    expect(
      events.filter((e) => e.name === SalesforceEvents.Refreshed && e.payload.tenantId === c.tenantId),
    ).toHaveLength(1);
    const shown = await c.t.http.get('/v1/connection').set(c.admin).expect(200);
    expect(shown.body.lastRefreshedAt).not.toBeNull();
  });

  it('re-mints a JWT bearer token with the stored private key after expiry', async () => {
    const tenant = await addTenant(c.t);
    await connect(tenant, {
      flow: 'jwt_bearer',
      clientSecret: undefined,
      username: c.sandbox.demo.username,
      privateKeyPem: c.sandbox.demo.jwtPrivateKeyPem,
    });
    const client = c.t.app.get(SalesforceClient);
    await client.query(tenant.tenantId, SOQL);
    await control(na130(), 'POST', '/sessions/expire');
    const before = await tokenRequests();
    expect((await client.query(tenant.tenantId, SOQL)).records).toHaveLength(1);
    expect((await tokenRequests()) - before).toBe(1);
  });

  it('bounds a persistent 401: one refresh and one retry per call, and no more refreshes than the budget', async () => {
    const tenant = await addTenant(c.t);
    await connect(tenant);
    const client = c.t.app.get(SalesforceClient);
    await control(na130(), 'POST', '/faults', { path: '/services/data', status: 401, times: 1000 });
    const tokensBefore = await tokenRequests();
    const dataBefore = await dataRequests();

    const calls = REFRESH_BUDGET + 3;
    const failures: unknown[] = [];
    for (let i = 0; i < calls; i++)
      failures.push(await client.query(tenant.tenantId, SOQL).catch((e: unknown) => e));

    expect(failures[0]).toMatchObject({ errorClass: 'auth', salesforceErrorCode: 'INVALID_SESSION_ID' });
    expect(failures[calls - 1]).toMatchObject({
      errorClass: 'auth',
      code: 'SALESFORCE_AUTH_FAILED',
      salesforceErrorCode: 'REFRESH_BUDGET_EXHAUSTED',
    });
    expect((await tokenRequests()) - tokensBefore).toBe(REFRESH_BUDGET);
    expect((await dataRequests()) - dataBefore).toBeLessThanOrEqual(calls * 2);
    // A 401 that persists is not a revoked grant: the connection stays connected.
    expect((await c.t.http.get('/v1/connection').set(tenant.admin).expect(200)).body.status).toBe(
      'connected',
    );
  });

  it('marks the connection needs_reauthorization when the refresh token was revoked, then fails fast', async () => {
    const tenant = await addTenant(c.t);
    await connectWebServer(tenant);
    const client = c.t.app.get(SalesforceClient);
    await client.query(tenant.tenantId, SOQL);
    const [row] = await c.t.app
      .get(DataSource)
      .query<Array<{ refresh_token_enc: string }>>(
        'SELECT refresh_token_enc FROM salesforce_connections WHERE tenant_id = $1',
        [tenant.tenantId],
      );
    const refreshToken = c.t.app
      .get(TokenCipher)
      .decrypt(row.refresh_token_enc, secretContext(tenant.tenantId, 'refresh_token'));
    const revoked = await fetch(`${c.sandbox.loginUrl}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken }),
    });
    expect(revoked.status).toBe(200);

    await expect(client.query(tenant.tenantId, SOQL)).rejects.toMatchObject({
      code: 'SALESFORCE_REAUTHORIZATION_REQUIRED',
      salesforceErrorCode: 'invalid_grant',
    });
    const shown = await c.t.http.get('/v1/connection').set(tenant.admin).expect(200);
    expect(shown.body).toMatchObject({
      status: 'needs_reauthorization',
      statusReason: 'expired access/refresh token',
    });
    expect(events).toContainEqual({
      name: SalesforceEvents.NeedsReauthorization,
      payload: expect.objectContaining({ tenantId: tenant.tenantId, actor: { role: 'system' } }),
    });

    const tokensBefore = await tokenRequests();
    const dataBefore = await dataRequests();
    await expect(client.query(tenant.tenantId, SOQL)).rejects.toMatchObject({
      code: 'SALESFORCE_REAUTHORIZATION_REQUIRED',
    });
    expect(await tokenRequests()).toBe(tokensBefore);
    expect(await dataRequests()).toBe(dataBefore);
  });

  it('treats "not valid for use with the REST API" as needing reauthorization, without a refresh', async () => {
    const tenant = await addTenant(c.t);
    await connect(tenant);
    await control(na130(), 'POST', '/faults', {
      path: '/services/data',
      status: 401,
      errorCode: 'INVALID_SESSION_ID',
      message: 'This session is not valid for use with the REST API',
    });
    const before = await tokenRequests();
    await expect(c.t.app.get(SalesforceClient).query(tenant.tenantId, SOQL)).rejects.toMatchObject({
      code: 'SALESFORCE_REAUTHORIZATION_REQUIRED',
      message: expect.stringContaining('not valid for use with the REST API'),
    });
    expect(await tokenRequests()).toBe(before);
    expect((await c.t.http.get('/v1/connection').set(tenant.admin).expect(200)).body.status).toBe(
      'needs_reauthorization',
    );
  });
});
