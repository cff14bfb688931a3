import type { Principal } from '../../../common/auth/principal';

/** Domain events of the tenancy module; the audit module records them. */
export const TenancyEvents = {
  TenantCreated: 'tenancy.tenant.created',
  ApiKeyCreated: 'tenancy.api-key.created',
  ApiKeyRevoked: 'tenancy.api-key.revoked',
} as const;

export class TenantCreatedEvent {
  constructor(
    readonly tenantId: string,
    readonly name: string,
    readonly region: string,
    readonly actor: Principal,
  ) {}
}

export class ApiKeyCreatedEvent {
  constructor(
    readonly tenantId: string,
    readonly keyId: string,
    readonly role: string,
    readonly actor: Principal,
  ) {}
}

export class ApiKeyRevokedEvent {
  constructor(
    readonly tenantId: string,
    readonly keyId: string,
    readonly actor: Principal,
  ) {}
}
