import { requestJson, stringField } from './http';
import type { SandboxInfo } from './sandbox-process';

/** The seed's demo maps (short form), as the newcomer's start loads them. */
export const DEMO_MAPS = {
  demo_requested: 'Opportunity.Demo_Requested_At__c',
  qualified: 'Lead.Status',
  call_summary: 'Task.Description',
};

/** The two critical intents every simulated call sends, in the full form (api.md). */
export const CRITICAL_INTENTS = {
  demo_requested: {
    mode: 'critical',
    valueType: 'none',
    targets: [
      { field: 'Opportunity.Demo_Requested_At__c', value: '$now' },
      { field: 'Opportunity.StageName', value: 'Demo Scheduled' },
    ],
    routing: false,
  },
  budget_confirmed: {
    mode: 'critical',
    valueType: 'currency',
    targets: [{ field: 'Opportunity.Amount', value: '$value' }],
    routing: false,
  },
} as const;

export type CriticalIntent = keyof typeof CRITICAL_INTENTS;

const METADATA_OBJECTS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Task'];

export interface Tenant {
  tenantId: string;
  adminKey: string;
  agentKey: string;
}

/**
 * What a tenant admin does before the first call, through the API only: tenant and keys (operator), the
 * client-credentials connection to the sandbox org, a metadata refresh, the demo maps and the critical maps.
 */
export async function provisionTenant(
  apiUrl: string,
  operatorKey: string,
  sandbox: SandboxInfo,
): Promise<Tenant> {
  const tenant = await requestJson('POST', `${apiUrl}/v1/tenants`, {
    token: operatorKey,
    body: { name: `Bench ${Date.now()}`, region: 'us' },
    expect: 201,
  });
  const tenantId = stringField(tenant.body, 'id');
  const issueKey = async (role: 'admin' | 'agent') => {
    const issued = await requestJson('POST', `${apiUrl}/v1/tenants/${tenantId}/api-keys`, {
      token: operatorKey,
      body: { role, label: `bench ${role}` },
      expect: 201,
    });
    return stringField(issued.body, 'key');
  };
  const adminKey = await issueKey('admin');
  const agentKey = await issueKey('agent');

  const admin = { token: adminKey };
  await requestJson('PUT', `${apiUrl}/v1/connection`, {
    ...admin,
    body: {
      flow: 'client_credentials',
      // the org's My Domain (its instance host): the login host refuses client credentials (§1.1)
      loginUrl: sandbox.instanceUrl,
      profile: 'standard',
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
    },
    expect: 200,
  });
  await requestJson('POST', `${apiUrl}/v1/metadata/refresh`, {
    ...admin,
    body: { objects: METADATA_OBJECTS },
    expect: 200,
  });
  await requestJson('PUT', `${apiUrl}/v1/mappings`, { ...admin, body: DEMO_MAPS, expect: 200 });
  for (const [intent, map] of Object.entries(CRITICAL_INTENTS)) {
    await requestJson('PUT', `${apiUrl}/v1/mappings/${intent}`, { ...admin, body: map, expect: 200 });
  }
  return { tenantId, adminKey, agentKey };
}
