import type { SandboxOrg } from '../sandbox-org';

/** The seed's example maps (product guide, chapter 2), imported as they are. */
export const DEMO_MAPS = {
  demo_requested: 'Opportunity.Demo_Requested_At__c',
  qualified: 'Lead.Status',
  call_summary: 'Task.Description',
};

export const DEMO_TENANT_NAME = 'Demo (sandbox org)';

export interface DemoTenant {
  tenantId: string;
  adminKey: string;
  agentKey: string;
}

/**
 * Provisions the demo tenant through the public API, exactly as an operator and an admin would: the tenant
 * (reused when it exists), fresh admin and agent keys, a client-credentials connection to the sandbox org's
 * demo org, its metadata, and the seed's maps.
 */
export async function provisionDemoTenant(
  apiUrl: string,
  operatorKey: string,
  sandbox: SandboxOrg,
): Promise<DemoTenant> {
  const call = apiCaller(apiUrl);
  const operator = `Bearer ${operatorKey}`;
  const tenants = await call<Array<{ id: string; name: string }>>('GET', '/v1/tenants', operator);
  const tenantId =
    tenants.find((tenant) => tenant.name === DEMO_TENANT_NAME)?.id ??
    (await call<{ id: string }>('POST', '/v1/tenants', operator, { name: DEMO_TENANT_NAME, region: 'us' }))
      .id;

  const issue = (role: 'admin' | 'agent') =>
    call<{ key: string }>('POST', `/v1/tenants/${tenantId}/api-keys`, operator, {
      role,
      label: 'npm start demo',
    });
  const adminKey = (await issue('admin')).key;
  const agentKey = (await issue('agent')).key;

  const admin = `Bearer ${adminKey}`;
  await call('PUT', '/v1/connection', admin, {
    flow: 'client_credentials',
    // client credentials only work at the org's My Domain, never at the login host (salesforce-rest.md §1.1)
    loginUrl: sandbox.myDomainUrl,
    profile: 'standard',
    clientId: sandbox.demo.clientId,
    clientSecret: sandbox.demo.clientSecret,
  });
  await call('POST', '/v1/metadata/refresh', admin, {});
  await call('PUT', '/v1/mappings', admin, DEMO_MAPS);
  return { tenantId, adminKey, agentKey };
}

function apiCaller(apiUrl: string) {
  return async <T = unknown>(
    method: string,
    path: string,
    authorization: string,
    body?: unknown,
  ): Promise<T> => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}
