import { randomUUID } from 'node:crypto';
import { control } from '../../sandbox-org/testing/sandbox-test-client';
import {
  addTenant,
  startConnectedTenant,
  type ConnectedTenant,
  type TestTenant,
} from '../support/connected-tenant';
import { operator, startTestApp, type TestApp } from '../support/test-app';

/** Keeps the event loop busy, as a CPU-bound backlog would. */
function blockEventLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy on purpose
  }
}
/** Lets the load sampler (a timer that was due during the block) take its sample. */
const afterSample = () => new Promise((resolve) => setTimeout(resolve, 5));

/** startTestApp leaves its env in process.env; the limits set here must not reach the next block's app. */
const forget = (env: Record<string, string>) => Object.keys(env).forEach((name) => delete process.env[name]);

const expectEnvelope = (body: Record<string, unknown>, statusCode: number, code: string) =>
  expect(body).toEqual(
    expect.objectContaining({ statusCode, code, message: expect.any(String), requestId: expect.any(String) }),
  );

describe('Per-key rate limits (Redis-backed)', () => {
  const LIMITS = {
    RATE_LIMIT_WINDOW_SECONDS: '60',
    RATE_LIMIT_AGENT_REQUESTS: '5',
    RATE_LIMIT_ADMIN_REQUESTS: '3',
  };
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;
  const unknownWrite = `/v1/writes/${randomUUID()}`;

  beforeAll(async () => {
    t = await startTestApp(LIMITS);
    forget(LIMITS);
    a = await addTenant(t);
    b = await addTenant(t);
  });
  afterAll(async () => t?.close());

  it('answers 429 with Retry-After and the envelope once a key passes its limit; other tenants are untouched', async () => {
    for (let i = 0; i < 5; i++) await t.http.get(unknownWrite).set(a.agent).expect(404);
    const limited = await t.http.get(unknownWrite).set(a.agent).expect(429);
    expectEnvelope(limited.body, 429, 'RATE_LIMITED');
    expect(limited.headers['x-content-type-options']).toBe('nosniff');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Tenant B's agent key has its own allowance: A's flood does not limit it.
    for (let i = 0; i < 5; i++) await t.http.get(unknownWrite).set(b.agent).expect(404);
    // A's admin key is a different key, counted apart (and with the tighter admin limit).
    for (let i = 0; i < 3; i++) await t.http.get('/v1/api-keys').set(a.admin).expect(200);
    await t.http.get('/v1/api-keys').set(a.admin).expect(429);
    await t.http.get('/v1/api-keys').set(b.admin).expect(200);
  });

  it('counts nothing for public routes', async () => {
    for (let i = 0; i < 10; i++) await t.http.get('/health/live').expect(200);
  });
});

describe('Requests in flight per key (bulkhead)', () => {
  const BULKHEAD = { RATE_LIMIT_MAX_IN_FLIGHT_PER_KEY: '1' };
  let c: ConnectedTenant;
  let other: TestTenant;

  beforeAll(async () => {
    c = await startConnectedTenant({ env: BULKHEAD });
    forget(BULKHEAD);
    other = await addTenant(c.t);
  });
  afterAll(async () => c?.close());

  it("refuses a key's request past its bound with 429 while another tenant is served", async () => {
    await control(c.sandbox.demo.instanceUrl, 'PUT', '/latency', { ms: 800 });
    const slowLookup = c.t.http
      .get('/v1/lookup')
      .query({ phone: '+16505550123' })
      .set(c.agent)
      .then((r) => r);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await c.t.http.get(`/v1/writes/${randomUUID()}`).set(c.agent).expect(429);
    expectEnvelope(refused.body, 429, 'RATE_LIMITED');
    expect(refused.body.message).toContain('in progress');
    expect(refused.headers['retry-after']).toBe('1');
    await c.t.http.get(`/v1/writes/${randomUUID()}`).set(other.agent).expect(404);

    expect((await slowLookup).status).toBe(200);
    await control(c.sandbox.demo.instanceUrl, 'PUT', '/latency', { ms: 0 });
    await c.t.http.get(`/v1/writes/${randomUUID()}`).set(c.agent).expect(404);
  });
});

describe('Load shedding', () => {
  // Thresholds forced low: any busy sample sheds.
  const SHEDDING = {
    LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0.5',
    LOAD_SHED_SAMPLE_INTERVAL_MS: '100',
    LOAD_SHED_RETRY_AFTER_SECONDS: '3',
  };
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(SHEDDING);
    forget(SHEDDING);
  });
  afterAll(async () => t?.close());

  it('answers 503 with Retry-After and the envelope while past capacity, and keeps /health/live answering', async () => {
    blockEventLoop(400);
    await afterSample();
    const shed = await t.http.get('/v1/tenants').set(operator).expect(503);
    expect(shed.headers['retry-after']).toBe('3');
    expectEnvelope(shed.body, 503, 'SERVICE_OVERLOADED');

    blockEventLoop(400);
    await afterSample();
    await t.http.get('/health/live').expect(200);
  });

  it('serves again once the load is gone', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await t.http.get('/v1/tenants').set(operator).expect(200);
  });
});

describe('Load shedding on requests in flight', () => {
  const SHEDDING = { LOAD_SHED_MAX_IN_FLIGHT: '1', LOAD_SHED_RETRY_AFTER_SECONDS: '1' };
  let c: ConnectedTenant;

  beforeAll(async () => {
    c = await startConnectedTenant({ env: SHEDDING });
    forget(SHEDDING);
  });
  afterAll(async () => c?.close());

  it('refuses a request past the bound with 503 while another waits on Salesforce, and serves again after', async () => {
    await control(c.sandbox.demo.instanceUrl, 'PUT', '/latency', { ms: 800 });
    const slowLookup = c.t.http
      .get('/v1/lookup')
      .query({ phone: '+16505550123' })
      .set(c.agent)
      .then((r) => r);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const shed = await c.t.http.get('/v1/tenants').set(operator).expect(503);
    expect(shed.headers['retry-after']).toBe('1');
    expectEnvelope(shed.body, 503, 'SERVICE_OVERLOADED');
    expect(shed.body.message).toContain('in flight');
    await c.t.http.get('/health/live').expect(200);

    expect((await slowLookup).status).toBe(200);
    await control(c.sandbox.demo.instanceUrl, 'PUT', '/latency', { ms: 0 });
    await c.t.http.get('/v1/tenants').set(operator).expect(200);
  });
});

describe('Security headers', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('are on API answers, errors included', async () => {
    for (const response of [await t.http.get('/health/live'), await t.http.get('/v1/tenants')]) {
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'strict-transport-security': expect.stringContaining('max-age='),
        'content-security-policy': expect.stringContaining("default-src 'self'"),
      });
    }
  });

  it('keep the Swagger UI working: its page and the scripts it loads are served from this origin', async () => {
    const page = await t.http.get('/docs').expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const scripts = [...page.text.matchAll(/<script[^>]*src=['"]([^'"]+)['"]/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src).not.toMatch(/^https?:/);
      // Resolved the way the browser resolves it from the page's address.
      await t.http.get(new URL(src, 'http://localhost/docs').pathname).expect(200);
    }
  });
});
