import { SalesforceClient } from '../../src/modules/salesforce/client/salesforce-client';
import { ConnectionsService } from '../../src/modules/salesforce/connections.service';
import { startConnectedTenant, type ConnectedTenant } from '../support/connected-tenant';

describe('SalesforceClient against the sandbox org', () => {
  let c: ConnectedTenant;
  let client: SalesforceClient;

  beforeAll(async () => {
    c = await startConnectedTenant();
    client = c.t.app.get(SalesforceClient);
  });
  afterAll(() => c.close());

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
  });
});
