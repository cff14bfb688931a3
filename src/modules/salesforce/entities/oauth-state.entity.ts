import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Tenant } from '../../tenancy/entities/tenant.entity';
import type { ScopeProfileName } from '../scope-profiles';

/**
 * A web-server flow in progress: kept in Postgres so any API instance can complete it. Only the SHA-256 of the
 * state is stored (the state itself is the proof), and the PKCE verifier and client secret are encrypted.
 */
@Entity({ name: 'salesforce_oauth_states' })
export class OAuthState {
  @PrimaryColumn({ name: 'state_hash', type: 'char', length: 64 })
  stateHash: string;

  @Index('salesforce_oauth_states_tenant_idx')
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'salesforce_oauth_states_tenant_id_fkey' })
  tenant?: Tenant;

  /** The admin key that started the flow: the actor of the connection it completes. */
  @Column({ name: 'key_id', type: 'uuid' })
  keyId: string;

  @Column({ type: 'varchar', length: 16 })
  profile: ScopeProfileName;

  @Column({ name: 'login_url', type: 'varchar', length: 500 })
  loginUrl: string;

  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ name: 'client_secret_enc', type: 'text', nullable: true })
  clientSecretEnc: string | null;

  @Column({ name: 'redirect_uri', type: 'varchar', length: 500 })
  redirectUri: string;

  @Column({ name: 'code_verifier_enc', type: 'text' })
  codeVerifierEnc: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
