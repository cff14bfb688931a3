import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { DEMO_MAPS } from '../../scripts/demo-tenant';
import { addTenant, startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';

type Check = { id: string; ok: boolean; summary: string; problems: Array<{ code?: string }> };
const checkOf = (body: { checks: Check[] }, id: string) => body.checks.find((check) => check.id === id);

/** What the console needs from the API beyond the existing routes: the go-live checklist, the sample call, the
 *  stored objects for the field picker, and the OAuth callback sending a browser back to the console. */
describe('API for the admin console (preflight, sample call, objects, OAuth callback)', () => {
  let c: ConnectedTenant;

  beforeAll(async () => {
    c = await startConnectedTenant();
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http.put('/v1/mappings').set(c.admin).send(DEMO_MAPS).expect(200);
  });
  afterAll(() => c.close());
  afterEach(() => control(c.sandbox.demo.instanceUrl, 'PUT', '/latency', { ms: 0 }));

  it('GET /v1/preflight: every check green for a connected tenant whose maps fit the metadata', async () => {
    const res = await c.t.http.get('/v1/preflight').set(c.admin).expect(200);
    expect(res.body.checks.map((check: Check) => [check.id, check.ok])).toEqual([
      ['connection', true],
      ['scopes', true],
      ['maps', true],
      ['simulation', true],
      ['round_trip', true],
    ]);
    expect(res.body).toMatchObject({ ok: true, roundTripBudgetMs: 500 });
    expect(res.body.roundTripMs).toBeLessThanOrEqual(500);
    expect(res.body.apiUsage.limit).toBeGreaterThan(res.body.apiUsage.used);
    expect(checkOf(res.body, 'simulation')?.summary).toMatch(/^3 steps, \d+ Salesforce requests/);
    await c.t.http.get('/v1/preflight').set(c.agent).expect(403);
    await c.t.http.get('/v1/preflight').expect(401);
  });

  it('GET /v1/preflight: a slow instance fails the round-trip check, naming the budget', async () => {
    await control(c.sandbox.demo.instanceUrl, 'PUT', '/latency', { ms: 600 });
    const res = await c.t.http.get('/v1/preflight').set(c.admin).expect(200);
    expect(res.body.ok).toBe(false);
    expect(checkOf(res.body, 'round_trip')).toMatchObject({
      ok: false,
      problems: [{ code: 'ROUND_TRIP_SLOW' }],
    });
    expect(checkOf(res.body, 'connection')?.ok).toBe(true);
  }, 30_000);

  it('GET /v1/preflight: a tenant without connection or maps is red on every check, with what to do', async () => {
    const fresh = await addTenant(c.t);
    const res = await c.t.http.get('/v1/preflight').set(fresh.admin).expect(200);
    expect(res.body).toMatchObject({ ok: false, roundTripMs: null, apiUsage: null });
    expect(res.body.checks.every((check: Check) => !check.ok)).toBe(true);
    expect(checkOf(res.body, 'connection')?.problems).toEqual([
      { code: 'NOT_CONNECTED', message: 'Connect the Salesforce org' },
    ]);
    expect(checkOf(res.body, 'maps')?.problems[0].code).toBe('NO_MAPS');
  });

  it('GET /v1/simulations/sample: one step per map, the intent alone where the map implies the value', async () => {
    const res = await c.t.http.get('/v1/simulations/sample').set(c.admin).expect(200);
    const steps = res.body.script as Array<{ intent: string; value?: unknown; caller?: object }>;
    expect(steps.map((step) => step.intent)).toEqual(['call_summary', 'demo_requested', 'qualified']);
    expect(steps[0]).toMatchObject({ caller: { lastName: 'Sample' }, value: expect.any(String) });
    // Short forms: a datetime implies $now, and "qualified" names a Lead Status value — as an agent would, no value.
    expect(steps[1]).not.toHaveProperty('value');
    expect(steps[2]).not.toHaveProperty('value');
    const simulated = await c.t.http.post('/v1/simulations').set(c.admin).send(res.body).expect(200);
    expect(simulated.body.problems).toBe(0);
  });

  it('GET /v1/metadata/objects: every stored object with its fields, for the field picker', async () => {
    const res = await c.t.http.get('/v1/metadata/objects').set(c.admin).expect(200);
    const names = (res.body as Array<{ name: string }>).map((object) => object.name);
    expect(names).toEqual(expect.arrayContaining(['Account', 'Contact', 'Lead', 'Opportunity', 'Task']));
    const opportunity = (
      res.body as Array<{ name: string; fields: Array<{ name: string; type: string }> }>
    ).find((object) => object.name === 'Opportunity');
    expect(opportunity?.fields).toContainEqual(
      expect.objectContaining({ name: 'Demo_Requested_At__c', type: 'datetime' }),
    );
    await c.t.http.get('/v1/metadata/objects').set(c.agent).expect(403);
  });

  it('GET /v1/writes: the recent writes, newest first, filtered by status, for admins only', async () => {
    for (const callId of ['recent-1', 'recent-2']) {
      await c.t.http
        .post(`/v1/calls/${callId}/intents`)
        .set(c.agent)
        .send({
          intent: 'demo_requested',
          value: new Date().toISOString(),
          caller: { phone: '+16505550177' },
        })
        .expect(200);
    }
    const all = await c.t.http.get('/v1/writes').set(c.admin).expect(200);
    const writes = all.body.writes as Array<{
      callId: string;
      status: string;
      intent: string;
      mapVersion: number;
    }>;
    expect(writes.slice(0, 2).map((write) => write.callId)).toEqual(['recent-2', 'recent-1']);
    expect(writes[0]).toMatchObject({
      status: 'written',
      intent: 'demo_requested',
      mapVersion: 1,
      lastError: null,
    });
    const dead = await c.t.http
      .get('/v1/writes')
      .query({ status: 'dead', limit: 5 })
      .set(c.admin)
      .expect(200);
    expect(dead.body.writes).toEqual([]);
    const one = await c.t.http.get('/v1/writes').query({ limit: 1 }).set(c.admin).expect(200);
    expect(one.body.writes).toHaveLength(1);
    await c.t.http.get('/v1/writes').query({ status: 'lost' }).set(c.admin).expect(422);
    await c.t.http.get('/v1/writes').set(c.agent).expect(403);
  });

  describe('the OAuth callback', () => {
    const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

    async function authorizedRedirect(admin: Record<string, string>) {
      const start = await c.t.http
        .post('/v1/connection/oauth/start')
        .set(admin)
        .send({
          loginUrl: c.sandbox.loginUrl,
          profile: 'standard',
          clientId: c.sandbox.demo.clientId,
          clientSecret: c.sandbox.demo.clientSecret,
          redirectUri: c.sandbox.demo.redirectUri,
        })
        .expect(200);
      const response = await fetch(start.body.authorizeUrl as string, { redirect: 'manual' });
      return Object.fromEntries(new URL(response.headers.get('location') ?? '').searchParams);
    }

    it('sends a browser back to the console connected', async () => {
      const tenant = await addTenant(c.t);
      const { code, state } = await authorizedRedirect(tenant.admin);
      const res = await c.t.http
        .get('/v1/connection/oauth/callback')
        .query({ code, state })
        .set('Accept', BROWSER_ACCEPT)
        .expect(303);
      expect(res.headers.location).toBe('/console/connection?oauth=connected');
      const connection = await c.t.http.get('/v1/connection').set(tenant.admin).expect(200);
      expect(connection.body).toMatchObject({ status: 'connected', flow: 'web_server' });
    });

    it('sends a browser back with the code, message and request id of a failure', async () => {
      const res = await c.t.http
        .get('/v1/connection/oauth/callback')
        .query({ code: 'any', state: 'not-a-state-we-issued' })
        .set('Accept', BROWSER_ACCEPT)
        .set('X-Request-Id', 'console-callback-1')
        .expect(303);
      const location = new URL(res.headers.location, 'http://console.test');
      expect(location.pathname).toBe('/console/connection');
      expect(Object.fromEntries(location.searchParams)).toEqual({
        oauth: 'failed',
        code: 'OAUTH_STATE_INVALID',
        message: 'Unknown or already used OAuth state; start the connection again',
        requestId: 'console-callback-1',
      });
    });

    it('still answers API clients with JSON', async () => {
      const failed = await c.t.http
        .get('/v1/connection/oauth/callback')
        .query({ code: 'any', state: 'not-a-state-we-issued' })
        .set('Accept', 'application/json')
        .expect(400);
      expect(failed.body).toMatchObject({ code: 'OAUTH_STATE_INVALID' });
      const tenant = await addTenant(c.t);
      const { code, state } = await authorizedRedirect(tenant.admin);
      const connected = await c.t.http
        .get('/v1/connection/oauth/callback')
        .query({ code, state })
        .set('Accept', 'application/json')
        .expect(200);
      expect(connected.body).toMatchObject({ status: 'connected', flow: 'web_server' });
    });
  });
});
