import { DataSource } from 'typeorm';
import { MappingEvents } from '../../src/modules/mapping/events/mapping.events';
import { SalesforceEvents } from '../../src/modules/salesforce/events/salesforce.events';
import { TenancyEvents } from '../../src/modules/tenancy/events/tenancy.events';
import { type ConnectedTenant, startConnectedTenant } from '../support/connected-tenant';
import { eventually } from '../support/eventually';
import { bearer, operator, startTestApp, TestApp } from '../support/test-app';

describe('Audit log', () => {
  let t: TestApp;
  let db: DataSource;
  let tenantId: string;
  let adminKey: string;
  let agentKeyId: string;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    tenantId = (await t.http.post('/v1/tenants').set(operator).send({ name: 'Audited', region: 'us' })).body
      .id;
    adminKey = (await t.http.post(`/v1/tenants/${tenantId}/api-keys`).set(operator).send({ role: 'admin' }))
      .body.key;
    agentKeyId = (await t.http.post(`/v1/tenants/${tenantId}/api-keys`).set(operator).send({ role: 'agent' }))
      .body.id;
    await t.http
      .delete(`/v1/api-keys/${agentKeyId}`)
      .set(bearer(adminKey))
      .set('X-Request-Id', 'revoke-req-1');
  });
  afterAll(() => t.close());

  const auditPage = async (query = '') =>
    (await t.http.get(`/v1/audit${query}`).set(bearer(adminKey)).expect(200)).body;

  it('records key and tenant changes from domain events, oldest first, with actor and request id', async () => {
    const page = await eventually(async () => {
      const body = await auditPage();
      expect(body.entries).toHaveLength(4);
      return body;
    });
    expect(page.entries.map((entry: { action: string }) => entry.action)).toEqual([
      TenancyEvents.TenantCreated,
      TenancyEvents.ApiKeyCreated,
      TenancyEvents.ApiKeyCreated,
      TenancyEvents.ApiKeyRevoked,
    ]);
    const revoked = page.entries[3];
    expect(revoked).toMatchObject({
      subjectType: 'api-key',
      subjectId: agentKeyId,
      requestId: 'revoke-req-1',
    });
    expect(revoked.actor).toMatchObject({ role: 'admin', tenantId });
    expect(page.entries[0].actor).toEqual({ role: 'operator' });
  });

  it('filters by action and pages with a cursor', async () => {
    const created = await auditPage(`?action=${TenancyEvents.ApiKeyCreated}`);
    expect(created.entries).toHaveLength(2);
    const first = await auditPage('?limit=3');
    expect(first.entries).toHaveLength(3);
    const second = await auditPage(`?limit=3&cursor=${first.nextCursor}`);
    expect(second.entries.map((entry: { seq: number }) => entry.seq)).toEqual([4]);
    expect(second.nextCursor).toBeNull();
    await t.http.get('/v1/audit?cursor=abc').set(bearer(adminKey)).expect(422);
  });

  it("shows a tenant nothing of another tenant's log", async () => {
    const other = (await t.http.post('/v1/tenants').set(operator).send({ name: 'Other', region: 'eu' })).body
      .id;
    const otherAdmin = (
      await t.http.post(`/v1/tenants/${other}/api-keys`).set(operator).send({ role: 'admin' })
    ).body;
    const body = await eventually(async () => {
      const res = (await t.http.get('/v1/audit').set(bearer(otherAdmin.key)).expect(200)).body;
      expect(res.entries).toHaveLength(2);
      return res;
    });
    expect(JSON.stringify(body)).not.toContain(tenantId);
  });

  it('refuses UPDATE, DELETE and TRUNCATE, for the owner (trigger) and the application role (privileges)', async () => {
    for (const statement of [
      `UPDATE audit_log SET action = 'x'`,
      `DELETE FROM audit_log`,
      `TRUNCATE audit_log`,
    ]) {
      await expect(db.query(statement)).rejects.toThrow(/append-only/);
      await expect(
        db.transaction(async (manager) => {
          await manager.query('SET LOCAL ROLE aicall_app');
          await manager.query(statement);
        }),
      ).rejects.toThrow(/permission denied/);
    }
    await db.transaction(async (manager) => {
      await manager.query('SET LOCAL ROLE aicall_app');
      await manager.query(`SELECT count(*) FROM audit_log`);
    });
  });

  it('verifies an intact chain and names the first entry a superuser tampered with', async () => {
    expect((await t.http.get('/v1/audit/verify').set(bearer(adminKey)).expect(200)).body).toEqual({
      ok: true,
      entries: 4,
    });
    const [second] = await db.query<Array<{ id: string }>>(
      `SELECT id FROM audit_log WHERE tenant_id = $1 AND seq = 2`,
      [tenantId],
    );
    await db.transaction(async (manager) => {
      await manager.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete');
      await manager.query(`UPDATE audit_log SET details = '{"role":"operator"}' WHERE id = $1`, [second.id]);
      await manager.query('ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_delete');
    });
    const verdict = (await t.http.get('/v1/audit/verify').set(bearer(adminKey)).expect(200)).body;
    expect(verdict).toMatchObject({ ok: false, firstBadId: second.id });
  });

  it('is open to admins only', async () => {
    await t.http.get('/v1/audit').set(operator).expect(403);
  });
});

describe('Audit log of connection and map changes', () => {
  let c: ConnectedTenant;
  beforeAll(async () => {
    c = await startConnectedTenant();
  });
  afterAll(() => c.close());

  it('records the connection, the metadata refresh and each saved map with the admin as actor', async () => {
    await c.t.http.post('/v1/metadata/refresh').set(c.admin).send({}).expect(200);
    await c.t.http
      .put('/v1/mappings')
      .set(c.admin)
      .set('X-Request-Id', 'maps-import-1')
      .send({ demo_requested: 'Opportunity.Demo_Requested_At__c' })
      .expect(200);

    const entries = await eventually(async () => {
      const body = (await c.t.http.get('/v1/audit?limit=500').set(c.admin).expect(200)).body;
      expect(body.entries.map((entry: { action: string }) => entry.action)).toEqual(
        expect.arrayContaining([
          SalesforceEvents.Connected,
          MappingEvents.MetadataRefreshed,
          MappingEvents.IntentMapsImported,
        ]),
      );
      return body.entries as Array<{ action: string; actor: { role: string }; requestId: string | null }>;
    });
    const imported = entries.find((entry) => entry.action === MappingEvents.IntentMapsImported);
    expect(imported).toMatchObject({ actor: { role: 'admin' }, requestId: 'maps-import-1' });
    expect((await c.t.http.get('/v1/audit/verify').set(c.admin).expect(200)).body.ok).toBe(true);
  });
});
