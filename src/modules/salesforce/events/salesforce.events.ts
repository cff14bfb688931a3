import type { Actor } from '../../../common/auth/principal';
export { SYSTEM_ACTOR } from '../../../common/auth/principal';
import type { TenantRegion } from '../../tenancy/entities/tenant.entity';
import type { ConnectionFlow } from '../entities/salesforce-connection.entity';
import type { ScopeProfileName } from '../scope-profiles';

/** Domain events of the Salesforce module; audit and the notifier listen. */
export const SalesforceEvents = {
  Connected: 'salesforce.connection.connected',
  Refreshed: 'salesforce.connection.refreshed',
  NeedsReauthorization: 'salesforce.connection.needs-reauthorization',
  Disconnected: 'salesforce.connection.disconnected',
} as const;

/** Who changed the connection: an admin key, or the connector itself (a refresh, a refused token). */
export type ConnectionActor = Actor;

export class ConnectionConnectedEvent {
  constructor(
    readonly tenantId: string,
    readonly flow: ConnectionFlow,
    readonly profile: ScopeProfileName,
    readonly scopes: string[],
    readonly instance: string,
    readonly region: TenantRegion,
    readonly actor: ConnectionActor,
  ) {}
}

export class ConnectionRefreshedEvent {
  constructor(
    readonly tenantId: string,
    readonly tokenVersion: number,
    readonly actor: ConnectionActor,
  ) {}
}

export class ConnectionNeedsReauthorizationEvent {
  constructor(
    readonly tenantId: string,
    readonly salesforceErrorCode: string,
    readonly reason: string,
    readonly actor: ConnectionActor,
  ) {}
}

export class ConnectionDisconnectedEvent {
  constructor(
    readonly tenantId: string,
    readonly actor: ConnectionActor,
  ) {}
}
