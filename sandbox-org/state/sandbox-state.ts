import type { ConnectedAppSpec, OrgSettings, SandboxDefinition } from '../org-definition/definition-types';
import { OrgRuntime } from '../org/org-runtime';
import { seedOrg } from '../org/seed-org';
import { SessionStore } from '../oauth/session-store';
import { HostState } from './host-state';

export const LOGIN_HOST = 'login';

/** Everything one sandbox process holds: orgs, sessions, and the state of each port (login + instances). */
export class SandboxState {
  orgs: OrgRuntime[] = [];
  readonly sessions = new SessionStore();
  readonly hosts = new Map<string, HostState>();

  constructor(
    readonly definition: SandboxDefinition,
    private readonly settingsOverride: Partial<OrgSettings>,
    latencyMs: Record<string, number>,
  ) {
    this.hosts.set(LOGIN_HOST, new HostState(LOGIN_HOST, 'global', latencyMs[LOGIN_HOST] ?? 0));
    for (const instance of definition.instances) {
      this.hosts.set(
        instance.name,
        new HostState(instance.name, instance.region, latencyMs[instance.name] ?? 0),
      );
    }
    this.rebuildOrgs();
  }

  get loginUrl(): string {
    return this.host(LOGIN_HOST).url;
  }

  host(name: string): HostState {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`Unknown sandbox host ${name}`);
    return host;
  }

  org(key: string): OrgRuntime {
    const org = this.orgs.find((o) => o.key === key);
    if (!org) throw new Error(`Unknown sandbox org ${key}`);
    return org;
  }

  /** Orgs a port serves: those living on an instance, or all of them on the login host. */
  orgsOn(hostName: string): OrgRuntime[] {
    return hostName === LOGIN_HOST ? this.orgs : this.orgs.filter((o) => o.instance === hostName);
  }

  connectedApp(clientId: string): { org: OrgRuntime; app: ConnectedAppSpec } | undefined {
    for (const org of this.orgs) {
      const app = org.connectedApps.find((a) => a.clientId === clientId);
      if (app) return { org, app };
    }
    return undefined;
  }

  /** Back to the seeded org: records, sessions, limits, faults, latency, log. */
  reset(): void {
    this.sessions.clear();
    for (const host of this.hosts.values()) host.reset();
    this.rebuildOrgs();
  }

  private rebuildOrgs(): void {
    this.orgs = this.definition.orgs.map((spec) => {
      const org = new OrgRuntime(spec, this.definition, this.settingsOverride);
      seedOrg(org, spec.records);
      return org;
    });
  }
}
