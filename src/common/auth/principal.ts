import type { TenantKeyRole } from '../../modules/tenancy/entities/api-key.entity';

export type Role = 'operator' | TenantKeyRole;

/** Who is calling: the operator (no tenant), or a tenant's admin or agent key. */
export type Principal = { role: 'operator' } | { role: TenantKeyRole; tenantId: string; keyId: string };

export type TenantPrincipal = Extract<Principal, { tenantId: string }>;
