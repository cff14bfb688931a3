import { randomUUID } from 'node:crypto';
import { startSandboxOrg, type SandboxOrg, type SandboxOrgOptions } from '../../sandbox-org';
import type { ScopeProfileName } from '../../src/modules/salesforce/scope-profiles';
import { bearer, operator, startTestApp, type TestApp } from './test-app';

export interface ConnectedTenantOptions {
  /** Scope profile of the connection (default `standard`). */
  profile?: ScopeProfileName;
  /** Extra environment for the app (e.g. `DEPLOYMENT_REGIONS`). */
  env?: Record<string, string>;
  /** Options for the sandbox org (e.g. `latencyMs`). */
  sandbox?: SandboxOrgOptions;
  /** Tenant name (default: a unique one). */
  tenantName?: string;
}

export interface ConnectedTenant {
  sandbox: SandboxOrg;
  /** The API app (`t.app`, `t.http` supertest, `t.databaseUrl`). */
  t: TestApp;
  tenantId: string;
  /** Authorization headers of the tenant's admin and agent keys. */
  admin: Record<string, string>;
  agent: Record<string, string>;
  /** Stops the app (dropping its database) and the sandbox org. */
  close(): Promise<void>;
}

/**
 * A sandbox org on ephemeral ports, a fresh test app, and one tenant (region us) with an admin and an agent
 * key, connected to the demo org by client credentials. Use `t.app.get(SalesforceClient)` to call Salesforce
 * as the tenant.
 */
export async function startConnectedTenant(options: ConnectedTenantOptions = {}): Promise<ConnectedTenant> {
  const sandbox = await startSandboxOrg(options.sandbox);
  let t: TestApp | undefined;
  try {
    t = await startTestApp(options.env);
    const { tenantId, admin, agent } = await addTenant(t, { name: options.tenantName });
    await t.http
      .put('/v1/connection')
      .set(admin)
      .send({
        flow: 'client_credentials',
        loginUrl: sandbox.myDomainUrl,
        profile: options.profile ?? 'standard',
        clientId: sandbox.demo.clientId,
        clientSecret: sandbox.demo.clientSecret,
      })
      .expect(200);
    const app = t;
    return {
      sandbox,
      t: app,
      tenantId,
      admin,
      agent,
      async close() {
        await app.close();
        await sandbox.close();
      },
    };
  } catch (error) {
    await t?.close();
    await sandbox.close();
    throw error;
  }
}

export interface TestTenant {
  tenantId: string;
  admin: Record<string, string>;
  agent: Record<string, string>;
}

/** Creates a tenant (not connected) with an admin and an agent key, through the operator API. */
export async function addTenant(
  t: Pick<TestApp, 'http'>,
  options: { name?: string; region?: 'us' | 'eu' | 'ap' } = {},
): Promise<TestTenant> {
  const tenant = await t.http
    .post('/v1/tenants')
    .set(operator)
    .send({ name: options.name ?? `Tenant ${randomUUID()}`, region: options.region ?? 'us' })
    .expect(201);
  const tenantId = tenant.body.id as string;
  const issue = async (role: 'admin' | 'agent') => {
    const issued = await t.http
      .post(`/v1/tenants/${tenantId}/api-keys`)
      .set(operator)
      .send({ role })
      .expect(201);
    return bearer(issued.body.key as string);
  };
  return { tenantId, admin: await issue('admin'), agent: await issue('agent') };
}
