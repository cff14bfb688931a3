import type { FastifyInstance } from 'fastify';
import type { OrgSettings } from './org-definition/definition-types';
import { loadSandboxDefinition, readDemoJwtPrivateKey } from './org-definition/load-org-definition';
import { buildHostApp } from './server';
import { LOGIN_HOST, SandboxState } from './state/sandbox-state';

/**
 * The sandbox org: a local stand-in for Salesforce (salesforce-rest.md), one login host plus one port per
 * instance (NA130, EU2, …). The connector's tests and demo start it with `startSandboxOrg()` and talk to it
 * over HTTP only.
 */

export interface SandboxOrgOptions {
  /** Bind address; default '127.0.0.1' (the control API has no auth). */
  host?: string;
  /** The host name put in URLs (instance_url, login URL) when it differs from the bind host, e.g. a
   *  container name when the sandbox binds 0.0.0.0 inside docker-compose. */
  publicHost?: string;
  /** Instance name → port (also `login` for the login host); default 0 (ephemeral) for every port. */
  ports?: Record<string, number>;
  /** Initial added latency per instance (same keys as `ports`); `reset()` returns to it. */
  latencyMs?: Record<string, number>;
  /** Overrides the seeded orgs' settings (sessionIdleSeconds, refreshTokenRotation, dailyApiLimit, searchIndexLagMs, duplicateRules). */
  settings?: Partial<OrgSettings>;
  /** Callback URLs every connected app also accepts (e.g. a test API on an ephemeral port, or `npm start` on
   *  another PORT), besides those of the org definition. */
  extraCallbackUrls?: string[];
  /** Print one line per request to stdout (cli only). */
  logRequests?: boolean;
}

export interface SandboxInstanceInfo {
  name: string;
  region: string;
  url: string;
  port: number;
}

export interface SandboxOrg {
  /**
   * The login host (serves /services/oauth2/* for every org), like login.salesforce.com: web-server, JWT and
   * refresh grants work here, client credentials do not (§1.1, use `myDomainUrl`).
   */
  loginUrl: string;
  /** The demo org's My Domain (its instance host): every grant including client credentials, and the data API. */
  myDomainUrl: string;
  /** By instance name, e.g. instances.NA130.url. */
  instances: Record<string, SandboxInstanceInfo>;
  /** What a newcomer / test needs to connect to the demo org (and the EU org for region tests). */
  demo: {
    instance: string;
    instanceUrl: string;
    /** Same as `SandboxOrg.myDomainUrl`. */
    myDomainUrl: string;
    username: string;
    clientId: string;
    clientSecret: string;
    jwtPrivateKeyPem: string;
    redirectUri: string;
    orgId: string;
    restrictedClientId: string;
    restrictedClientSecret: string;
    euOrg: {
      instance: string;
      instanceUrl: string;
      /** The EU org's My Domain (the EU2 instance host). */
      myDomainUrl: string;
      username: string;
      clientId: string;
      clientSecret: string;
    };
  };
  reset(): void;
  close(): Promise<void>;
}

const DEMO_ORG = 'demo';
const EU_ORG = 'eu';

function demoCredentials(state: SandboxState, jwtPrivateKeyPem: string): SandboxOrg['demo'] {
  const demo = state.org(DEMO_ORG);
  const eu = state.org(EU_ORG);
  const [demoApp, restrictedApp] = demo.connectedApps;
  return {
    instance: demo.instance,
    instanceUrl: state.host(demo.instance).url,
    myDomainUrl: state.host(demo.instance).url,
    username: demo.users[0].username,
    clientId: demoApp.clientId,
    clientSecret: demoApp.clientSecret,
    jwtPrivateKeyPem,
    redirectUri: demoApp.callbackUrls[0],
    orgId: demo.id,
    restrictedClientId: restrictedApp.clientId,
    restrictedClientSecret: restrictedApp.clientSecret,
    euOrg: {
      instance: eu.instance,
      instanceUrl: state.host(eu.instance).url,
      myDomainUrl: state.host(eu.instance).url,
      username: eu.users[0].username,
      clientId: eu.connectedApps[0].clientId,
      clientSecret: eu.connectedApps[0].clientSecret,
    },
  };
}

export async function startSandboxOrg(options: SandboxOrgOptions = {}): Promise<SandboxOrg> {
  const bindHost = options.host ?? '127.0.0.1';
  const definition = loadSandboxDefinition();
  for (const app of definition.orgs.flatMap((org) => org.connectedApps))
    app.callbackUrls.push(...(options.extraCallbackUrls ?? []));
  const jwtPrivateKeyPem = readDemoJwtPrivateKey();
  const state = new SandboxState(definition, options.settings ?? {}, options.latencyMs ?? {});
  const apps: FastifyInstance[] = [];
  try {
    for (const host of state.hosts.values()) {
      const app = buildHostApp(state, host.name, {
        logRequests: options.logRequests ?? false,
        idTokenKeyPem: jwtPrivateKeyPem,
      });
      apps.push(app);
      await app.listen({ host: bindHost, port: options.ports?.[host.name] ?? 0 });
      const address = app.server.address();
      host.port = typeof address === 'object' && address ? address.port : 0;
      host.url = `http://${options.publicHost ?? bindHost}:${host.port}`;
    }
  } catch (error) {
    await Promise.all(apps.map((app) => app.close()));
    throw error;
  }
  const instances = Object.fromEntries(
    [...state.hosts.values()]
      .filter((host) => host.name !== LOGIN_HOST)
      .map((host) => [host.name, { name: host.name, region: host.region, url: host.url, port: host.port }]),
  );
  const demo = demoCredentials(state, jwtPrivateKeyPem);
  return {
    loginUrl: state.loginUrl,
    myDomainUrl: demo.myDomainUrl,
    instances,
    demo,
    reset: () => state.reset(),
    close: async () => {
      await Promise.all(apps.map((app) => app.close()));
    },
  };
}
