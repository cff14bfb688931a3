import type { TenantKeyRole } from '../../modules/tenancy/entities/api-key.entity';

export type Role = 'operator' | TenantKeyRole;

/** Who is calling: the operator (no tenant), or a tenant's admin or agent key. */
export type Principal = { role: 'operator' } | { role: TenantKeyRole; tenantId: string; keyId: string };

export type TenantPrincipal = Extract<Principal, { tenantId: string }>;

/** Who caused a change, as domain events and the audit log record it: a caller, or the service itself. */
export type Actor = Principal | { role: 'system' };

/** The service acting on its own (a worker job, a token refresh, the outbox sweep). */
export const SYSTEM_ACTOR: Actor = { role: 'system' };
