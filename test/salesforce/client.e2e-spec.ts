import { control } from '../../sandbox-org/testing/sandbox-test-client';
import { InstancePools } from '../../src/modules/salesforce/client/instance-pools';
import { SalesforceClient } from '../../src/modules/salesforce/client/salesforce-client';
import { ConnectionsService } from '../../src/modules/salesforce/connections.service';
import {
  addTenant,
  startConnectedTenant,
  type ConnectedTenant,
  type TestTenant,
} from '../support/connected-tenant';

interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  connectionId: number;
  sforceCallOptions?: string;
}

describe('SalesforceClient against the sandbox org', () => {
  let c: ConnectedTenant;
  let client: SalesforceClient;
  let euTenant: TestTenant;

  beforeAll(async () => {
    c = await startConnectedTenant();
    client = c.t.app.get(SalesforceClient);
    euTenant = await addTenant(c.t, { region: 'eu' });
    const { euOrg } = c.sandbox.demo;
    await c.t.http
      .put('/v1/connection')
      .set(euTenant.admin)
      .send({
        flow: 'client_credentials',
        loginUrl: euOrg.myDomainUrl,
        profile: 'standard',
        clientId: euOrg.clientId,
        clientSecret: euOrg.clientSecret,
      })
      .expect(200);
  });
  afterAll(() => c.close());
  afterEach(async () => {
    for (const instance of Object.values(c.sandbox.instances))
      await control(instance.url, 'DELETE', '/faults');
  });

  const requestLog = async (url: string) =>
    ((await control(url, 'GET', '/requests')).body as { requests: LoggedRequest[] }).requests;

  it('describes an sObject and summarises the connection for other modules', async () => {
    const describe = await client.describeSObject(c.tenantId, 'Account');
    expect(describe.name).toBe('Account');
    expect(describe.fields.map((field) => field.name)).toContain('Name');

    const summary = await c.t.app.get(ConnectionsService).getConnectionSummary(c.tenantId);
    expect(summary).toEqual({
      status: 'connected',
      flow: 'client_credentials',
      profile: 'standard',
      scopes: ['api'],
      instance: 'NA130',
      region: 'us',
      instanceUrl: c.sandbox.instances.NA130.url,
    });
    expect(await c.t.app.get(ConnectionsService).getConnectionSummary(euTenant.tenantId)).toMatchObject({
      instance: 'EU2',
      region: 'eu',
    });
  });

  it('queries, searches, sends composite requests and raw requests, pinned to the configured version', async () => {
    const query = await client.query<{ Id: string; Name: string }>(
      c.tenantId,
      'SELECT Id, Name FROM Account LIMIT 2',
    );
    expect(query.records).toHaveLength(2);
    expect(query.records[0].Name).toEqual(expect.any(String));

    const search = await client.search(c.tenantId, 'FIND {Zzzyx} IN ALL FIELDS RETURNING Account(Id)');
    expect(search.searchRecords).toEqual([]);

    const composite = await client.composite(c.tenantId, {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'acct',
          body: { Name: 'Composite Co' },
        },
        {
          method: 'GET',
          url: '/services/data/v62.0/sobjects/Account/@{acct.id}?fields=Name',
          referenceId: 'read',
        },
      ],
    });
    expect(composite.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 200]);

    const limits = await client.request<{ DailyApiRequests: { Max: number } }>(c.tenantId, {
      method: 'GET',
      path: '/limits',
    });
    expect(limits.DailyApiRequests.Max).toBeGreaterThan(0);

    const paths = (await requestLog(c.sandbox.instances.NA130.url)).map((r) => r.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/services/data/v62.0/query', '/services/data/v62.0/composite']),
    );
  });

  it('serves two instances in two regions from separate keep-alive pools, with the call-options header', async () => {
    for (let i = 0; i < 10; i++) {
      await client.query(c.tenantId, 'SELECT Id FROM Account LIMIT 1');
      await client.query(euTenant.tenantId, 'SELECT Id FROM Account LIMIT 1');
    }
    for (const instance of [c.sandbox.instances.NA130, c.sandbox.instances.EU2]) {
      const queries = (await requestLog(instance.url)).filter((r) => r.path.endsWith('/query'));
      expect(queries.length).toBeGreaterThanOrEqual(10);
      // Keep-alive: the pool's few sockets carry every call.
      expect(new Set(queries.map((r) => r.connectionId)).size).toBeLessThanOrEqual(3);
      expect(queries.every((r) => r.sforceCallOptions === 'client=aicall-connector')).toBe(true);
    }
    const hosts = c.t.app
      .get(InstancePools)
      .sockets()
      .map((pool) => pool.host);
    expect(hosts).toEqual(
      expect.arrayContaining([
        new URL(c.sandbox.instances.NA130.url).host,
        new URL(c.sandbox.instances.EU2.url).host,
      ]),
    );
  });

  it('keeps API usage per tenant from Sforce-Limit-Info and exports latency, pool and usage metrics', async () => {
    await client.query(c.tenantId, 'SELECT Id FROM Account LIMIT 1');
    expect(client.apiUsage(c.tenantId)).toMatchObject({ used: expect.any(Number), limit: 100000 });
    const metrics = (await c.t.http.get('/metrics').expect(200)).text;
    expect(metrics).toMatch(
      /aicall_salesforce_request_duration_seconds_count\{instance="NA130",method="GET",outcome="ok"\} \d+/,
    );
    expect(metrics).toMatch(
      /aicall_salesforce_request_duration_seconds_count\{instance="EU2",method="GET",outcome="ok"\} \d+/,
    );
    expect(metrics).toContain('aicall_salesforce_pool_sockets{host=');
    expect(metrics).toContain(`aicall_salesforce_api_usage{tenant_id="${c.tenantId}",kind="limit"} 100000`);
  });

  it('sends each call once (no hidden retries) and classifies the failure with Salesforce code and message', async () => {
    const na130 = c.sandbox.instances.NA130.url;
    const before = (await requestLog(na130)).length;
    await control(na130, 'POST', '/faults', { path: '/limits', status: 503, times: 5 });
    await expect(client.request(c.tenantId, { method: 'GET', path: '/limits' })).rejects.toMatchObject({
      errorClass: 'transient',
      code: 'SALESFORCE_UNAVAILABLE',
      salesforceErrorCode: 'SERVER_UNAVAILABLE',
      salesforceStatus: 503,
    });
    expect((await requestLog(na130)).length - before).toBe(1);

    await expect(client.query(c.tenantId, 'SELECT Nope__c FROM Account')).rejects.toMatchObject({
      errorClass: 'permanent',
      salesforceErrorCode: 'INVALID_FIELD',
      message: expect.stringContaining('Nope__c'),
    });
  });

  it('bounds every call by its deadline', async () => {
    await control(c.sandbox.instances.NA130.url, 'POST', '/faults', { path: '/limits', delayMs: 1000 });
    const started = Date.now();
    await expect(
      client.request(c.tenantId, { method: 'GET', path: '/limits' }, { deadlineMs: 100 }),
    ).rejects.toMatchObject({ errorClass: 'transient', salesforceErrorCode: 'DEADLINE_EXCEEDED' });
    expect(Date.now() - started).toBeLessThan(600);
  });
});
