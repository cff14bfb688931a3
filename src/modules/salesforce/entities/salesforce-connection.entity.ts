import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Tenant, type TenantRegion } from '../../tenancy/entities/tenant.entity';
import type { ScopeProfileName } from '../scope-profiles';

export const CONNECTION_FLOWS = ['client_credentials', 'jwt_bearer', 'web_server'] as const;
export type ConnectionFlow = (typeof CONNECTION_FLOWS)[number];

export const CONNECTION_STATUSES = ['connected', 'needs_reauthorization'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/**
 * A tenant's Salesforce connection (one org per tenant). Every secret column holds TokenCipher output, bound
 * to the tenant and column; `token_version` grows on each refresh so a process can tell a newer token apart.
 */
@Entity({ name: 'salesforce_connections' })
@Check('salesforce_connections_flow_check', `flow IN ('client_credentials', 'jwt_bearer', 'web_server')`)
@Check('salesforce_connections_status_check', `status IN ('connected', 'needs_reauthorization')`)
export class SalesforceConnection {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @OneToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'salesforce_connections_tenant_id_fkey' })
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 32 })
  flow: ConnectionFlow;

  @Column({ type: 'varchar', length: 32 })
  status: ConnectionStatus;

  @Column({ type: 'varchar', length: 16 })
  profile: ScopeProfileName;

  @Column({ type: 'text', array: true })
  scopes: string[];

  @Column({ name: 'login_url', type: 'varchar', length: 500 })
  loginUrl: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  username: string | null;

  @Column({ name: 'redirect_uri', type: 'varchar', length: 500, nullable: true })
  redirectUri: string | null;

  @Column({ name: 'instance_url', type: 'varchar', length: 500 })
  instanceUrl: string;

  @Column({ type: 'varchar', length: 40 })
  instance: string;

  @Column({ type: 'varchar', length: 16 })
  region: TenantRegion;

  @Column({ name: 'org_id', type: 'varchar', length: 18 })
  orgId: string;

  @Column({ name: 'access_token_enc', type: 'text' })
  accessTokenEnc: string;

  @Column({ name: 'refresh_token_enc', type: 'text', nullable: true })
  refreshTokenEnc: string | null;

  @Column({ name: 'client_secret_enc', type: 'text', nullable: true })
  clientSecretEnc: string | null;

  @Column({ name: 'private_key_enc', type: 'text', nullable: true })
  privateKeyEnc: string | null;

  @Column({ name: 'token_version', type: 'integer', default: 1 })
  tokenVersion: number;

  @Column({ name: 'last_refreshed_at', type: 'timestamptz', nullable: true })
  lastRefreshedAt: Date | null;

  /** The refresh budget (SALESFORCE_REFRESH_BUDGET per window), shared by every process. */
  @Column({ name: 'refresh_window_started_at', type: 'timestamptz', nullable: true })
  refreshWindowStartedAt: Date | null;

  @Column({ name: 'refresh_window_count', type: 'integer', default: 0 })
  refreshWindowCount: number;

  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true })
  statusReason: string | null;

  @CreateDateColumn({ name: 'connected_at', type: 'timestamptz' })
  connectedAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
