import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { SalesforceClient } from '../../src/modules/salesforce/client/salesforce-client';
import { startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';

interface RequestLog {
  requests: Array<{ method: string; path: string }>;
  countsByPath: Record<string, number>;
}

describe('GET /v1/lookup against the sandbox org', () => {
  let c: ConnectedTenant;
  const log = async () => (await control(c.sandbox.demo.instanceUrl, 'GET', '/requests')).body as RequestLog;
  const dataRequests = async () => (await log()).requests.filter((r) => r.path.startsWith('/services/data'));
  const createContact = (body: Record<string, string>) =>
    c.t.app
      .get(SalesforceClient)
      .request<{ id: string }>(c.tenantId, { method: 'POST', path: '/sobjects/Contact', body });

  beforeAll(async () => {
    c = await startConnectedTenant();
  });
  afterAll(() => c.close());

  it('finds a known caller by SOSL, sending the search and the SOQL fallback at the same moment', async () => {
    const before = (await dataRequests()).length;
    const res = await c.t.http.get('/v1/lookup').query({ phone: '+14155551212' }).set(c.agent).expect(200);
    expect(res.body.source).toBe('sosl');
    expect(res.body.phone).toBe('+14155551212');
    expect(res.body.matches).toEqual([
      expect.objectContaining({ object: 'Contact', name: 'Jane Doe', accountId: expect.any(String) }),
      expect.objectContaining({ object: 'Account', name: 'Acme Corporation' }),
    ]);
    expect(res.body.matches[0].ownerId).toEqual(expect.any(String));
    // SOSL is not a /composite target (salesforce-rest.md §5.1): two requests, one round trip of wall time.
    const sent = (await dataRequests()).slice(before);
    expect(sent.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /services/data/v62.0/search',
      'POST /services/data/v62.0/composite',
    ]);
    expect(res.headers['server-timing']).toMatch(/^sf;dur=\d+(\.\d+)?$/);
  });

  it('finds Contacts and non-converted Leads on mobile numbers too, de-duplicated', async () => {
    const res = await c.t.http.get('/v1/lookup').query({ phone: '(415) 555-1313' }).set(c.agent).expect(200);
    expect(res.body.matches.map((m: { name: string }) => m.name)).toEqual(['John Smith', 'Mark Prospect']);
    const converted = await c.t.http
      .get('/v1/lookup')
      .query({ phone: '415.555.1414' })
      .set(c.agent)
      .expect(200);
    // Carla Converted shares the number but her Lead is converted.
    expect(
      converted.body.matches.map((m: { object: string; name: string }) => `${m.object}:${m.name}`),
    ).toEqual(['Contact:Peter Gibbons', 'Account:Initech']);
  });

  it('finds a record created moments ago through the SOQL fallback (the search index lags)', async () => {
    const created = await createContact({ LastName: 'Fresh', FirstName: 'Freda', Phone: '(212) 555-0199' });
    const res = await c.t.http.get('/v1/lookup').query({ phone: '+12125550199' }).set(c.agent).expect(200);
    expect(res.body).toMatchObject({
      source: 'soql',
      matches: [{ object: 'Contact', id: created.id, name: 'Freda Fresh' }],
    });
  });

  it('finds a phone stored in a spelling no SOQL variant matches, once the search index has it', async () => {
    const odd = await createContact({ LastName: 'Oddly', FirstName: 'Stored', Phone: '415/555 0123 (main)' });
    const early = await c.t.http.get('/v1/lookup').query({ phone: '+14155550123' }).set(c.agent).expect(200);
    expect(early.body).toMatchObject({ source: 'none', matches: [] });
    const found = await eventually(
      async () => {
        const res = await c.t.http
          .get('/v1/lookup')
          .query({ phone: '+14155550123' })
          .set(c.agent)
          .expect(200);
        expect(res.body.source).toBe('sosl');
        return res.body as { matches: Array<{ id: string }> };
      },
      10_000,
      250,
    );
    expect(found.matches.map((m) => m.id)).toEqual([odd.id]);
  });

  it('answers from the SOQL half when the search fails, says so, logs and counts it', async () => {
    await control(c.sandbox.demo.instanceUrl, 'POST', '/faults', {
      method: 'GET',
      path: '/search',
      status: 503,
      times: 1,
    });
    const res = await c.t.http
      .get('/v1/lookup')
      .query({ phone: '+14155551212', callId: 'lookup-degraded-1' })
      .set(c.agent)
      .expect(200);
    expect(res.body).toMatchObject({
      source: 'soql',
      degraded: { answeredBy: 'soql', failed: 'sosl', errorCode: 'SERVER_UNAVAILABLE' },
    });
    expect(res.body.matches.map((m: { object: string }) => m.object)).toContain('Contact');
    const metrics = await c.t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /aicall_lookup_part_failures_total\{part="sosl",error_code="SERVER_UNAVAILABLE"\} 1/,
    );
    // A half answer is not cached for the call: the next lookup asks both halves again and finds by SOSL.
    const again = await c.t.http
      .get('/v1/lookup')
      .query({ phone: '+14155551212', callId: 'lookup-degraded-1' })
      .set(c.agent)
      .expect(200);
    expect(again.body.source).toBe('sosl');
    expect(again.body.degraded).toBeUndefined();
  });

  it('answers a caller nobody knows with no matches', async () => {
    const res = await c.t.http.get('/v1/lookup').query({ phone: '+16505550000' }).set(c.agent).expect(200);
    expect(res.body).toMatchObject({ matches: [], source: 'none' });
  });

  it('caches the answer for the call: the second lookup of the call makes no Salesforce call', async () => {
    await c.t.http
      .get('/v1/lookup')
      .query({ phone: '+14155551515', callId: 'lookup-cache-1' })
      .set(c.agent)
      .expect(200);
    const before = (await dataRequests()).length;
    const again = await c.t.http
      .get('/v1/lookup')
      .query({ phone: '4155551515' })
      .set('X-Call-Id', 'lookup-cache-1')
      .set(c.agent)
      .expect(200);
    expect(again.body).toMatchObject({ source: 'cache', matches: [{ object: 'Lead', name: 'Lena Lead' }] });
    expect(again.headers['server-timing']).toBe('sf;dur=0.00');
    expect((await dataRequests()).length).toBe(before);
  });

  it('refuses missing, unparseable and hostile numbers without calling Salesforce', async () => {
    const before = (await dataRequests()).length;
    const missing = await c.t.http.get('/v1/lookup').set(c.agent).expect(422);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    for (const phone of ['not a number', '12', "415' OR Name != '", '{4155551212} RETURNING User']) {
      const res = await c.t.http.get('/v1/lookup').query({ phone }).set(c.agent).expect(422);
      expect(res.body.code).toBe('PHONE_INVALID');
    }
    const badCall = await c.t.http
      .get('/v1/lookup')
      .query({ phone: '+14155551212', callId: 'x y' })
      .set(c.agent)
      .expect(422);
    expect(badCall.body.code).toBe('VALIDATION_FAILED');
    expect((await dataRequests()).length).toBe(before);
  });

  it('is for agent keys only', async () => {
    await c.t.http.get('/v1/lookup').query({ phone: '+14155551212' }).set(c.admin).expect(403);
    await c.t.http.get('/v1/lookup').query({ phone: '+14155551212' }).expect(401);
  });
});
