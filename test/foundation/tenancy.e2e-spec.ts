import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { TenancyEvents } from '../../src/modules/tenancy/events/tenancy.events';
import { bearer, operator, startTestApp, TestApp } from '../support/test-app';

describe('Tenants and API keys', () => {
  let t: TestApp;
  const events: Array<{ name: string; payload: unknown }> = [];

  beforeAll(async () => {
    t = await startTestApp();
    const emitter = t.app.get(EventEmitter2);
    for (const name of Object.values(TenancyEvents)) {
      emitter.on(name, (payload: unknown) => events.push({ name, payload }));
    }
  });
  afterAll(() => t.close());

  async function createTenant(name: string, region = 'us'): Promise<string> {
    const res = await t.http.post('/v1/tenants').set(operator).send({ name, region }).expect(201);
    return res.body.id as string;
  }

  async function issueKey(tenantId: string, role: 'admin' | 'agent'): Promise<{ id: string; key: string }> {
    const res = await t.http
      .post(`/v1/tenants/${tenantId}/api-keys`)
      .set(operator)
      .send({ role })
      .expect(201);
    return res.body as { id: string; key: string };
  }

  it('creates a tenant, lists it, and refuses a duplicate name with 409', async () => {
    const res = await t.http
      .post('/v1/tenants')
      .set(operator)
      .send({ name: 'Acme', region: 'eu' })
      .expect(201);
    expect(res.body).toMatchObject({ name: 'Acme', region: 'eu' });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);

    const list = await t.http.get('/v1/tenants').set(operator).expect(200);
    expect(list.body.map((tenant: { id: string }) => tenant.id)).toContain(res.body.id);

    const dup = await t.http
      .post('/v1/tenants')
      .set(operator)
      .send({ name: 'Acme', region: 'us' })
      .expect(409);
    expect(dup.body.code).toBe('TENANT_EXISTS');
    expect(events).toContainEqual(
      expect.objectContaining({
        name: TenancyEvents.TenantCreated,
        payload: expect.objectContaining({ tenantId: res.body.id }),
      }),
    );
  });

  it('issues a key once, stores only its hash, accepts it, and rejects it with 401 once revoked', async () => {
    const tenantId = await createTenant('Lifecycle Inc');
    const admin = await issueKey(tenantId, 'admin');
    expect(admin.key).toMatch(/^aick_admin_[A-Za-z0-9_-]{43}$/);

    const stored = await t.app.get(DataSource).query('SELECT * FROM api_keys WHERE id = $1', [admin.id]);
    expect(JSON.stringify(stored)).not.toContain(admin.key.slice(16));

    const me = await t.http.get('/v1/tenant').set(bearer(admin.key)).expect(200);
    expect(me.body.id).toBe(tenantId);
    const keys = await t.http.get(`/v1/tenants/${tenantId}/api-keys`).set(operator).expect(200);
    expect(JSON.stringify(keys.body)).not.toContain(admin.key);

    await t.http.delete(`/v1/tenants/${tenantId}/api-keys/${admin.id}`).set(operator).expect(204);
    const revoked = await t.http.get('/v1/tenant').set(bearer(admin.key)).expect(401);
    expect(revoked.body.code).toBe('UNAUTHENTICATED');
    expect(events.map((event) => event.name)).toEqual(
      expect.arrayContaining([TenancyEvents.ApiKeyCreated, TenancyEvents.ApiKeyRevoked]),
    );
  });

  it('answers 401 without a key or with an unknown one', async () => {
    expect((await t.http.get('/v1/tenants').expect(401)).body.code).toBe('UNAUTHENTICATED');
    await t.http.get('/v1/tenants').set(bearer('aick_admin_not-a-real-key')).expect(401);
    await t.http.get('/v1/tenants').set({ Authorization: 'Basic abc' }).expect(401);
  });

  it('separates roles: tenant keys on operator routes and agent keys on admin routes get 403', async () => {
    const tenantId = await createTenant('Roles Ltd');
    const admin = await issueKey(tenantId, 'admin');
    const agent = await issueKey(tenantId, 'agent');

    const agentOnOperator = await t.http.get('/v1/tenants').set(bearer(agent.key)).expect(403);
    expect(agentOnOperator.body.code).toBe('FORBIDDEN_ROLE');
    await t.http.post('/v1/tenants').set(bearer(admin.key)).send({ name: 'x', region: 'us' }).expect(403);
    await t.http.get('/v1/api-keys').set(bearer(agent.key)).expect(403);
    await t.http.get('/v1/api-keys').set(bearer(admin.key)).expect(200);
    await t.http.get('/v1/tenant').set(bearer(agent.key)).expect(200);
  });

  it("isolates tenants: another tenant's ids answer 404, and nothing changes", async () => {
    const tenantA = await createTenant('Tenant A');
    const tenantB = await createTenant('Tenant B');
    const adminA = await issueKey(tenantA, 'admin');
    const agentB = await issueKey(tenantB, 'agent');

    const foreign = await t.http.delete(`/v1/api-keys/${agentB.id}`).set(bearer(adminA.key)).expect(404);
    expect(foreign.body.code).toBe('NOT_FOUND');
    await t.http.delete(`/v1/tenants/${tenantA}/api-keys/${agentB.id}`).set(operator).expect(404);
    await t.http.get('/v1/tenant').set(bearer(agentB.key)).expect(200);

    const listA = await t.http.get('/v1/api-keys').set(bearer(adminA.key)).expect(200);
    expect(listA.body.map((key: { id: string }) => key.id)).toEqual([adminA.id]);
    await t.http.get('/v1/tenants/not-a-uuid').set(operator).expect(404);
    await t.http.get('/v1/tenants/00000000-0000-4000-8000-000000000000').set(operator).expect(404);
  });

  describe('bad input changes nothing', () => {
    const countTenants = async () =>
      Number((await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM tenants'))[0].n);

    it('malformed JSON → 400 in the error envelope', async () => {
      const before = await countTenants();
      const res = await t.http
        .post('/v1/tenants')
        .set(operator)
        .set('Content-Type', 'application/json')
        .send('{"name": "Broken",')
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_REQUEST' });
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
      expect(await countTenants()).toBe(before);
    });

    it('unknown fields and wrong types → 422 naming every field', async () => {
      const before = await countTenants();
      const res = await t.http
        .post('/v1/tenants')
        .set(operator)
        .send({ name: 42, region: 'mars', plan: 'gold' })
        .expect(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const fields = (res.body.problems as Array<{ field: string }>).map((problem) => problem.field).sort();
      expect(fields).toEqual(['name', 'plan', 'region']);
      expect(await countTenants()).toBe(before);
    });

    it('an oversized body → 413, never 500', async () => {
      const res = await t.http
        .post('/v1/tenants')
        .set(operator)
        .send({ name: 'x'.repeat(300 * 1024), region: 'us' })
        .expect(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('unknown routes → 404 in the same envelope', async () => {
      const res = await t.http.get('/v1/nothing-here').set(operator).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    });
  });

  it('echoes a sane X-Request-Id and makes one otherwise', async () => {
    const echoed = await t.http.get('/health/live').set('X-Request-Id', 'call-123.abc').expect(200);
    expect(echoed.headers['x-request-id']).toBe('call-123.abc');
    const made = await t.http.get('/health/live').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
