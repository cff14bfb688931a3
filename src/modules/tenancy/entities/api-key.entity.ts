import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Tenant } from './tenant.entity';

export const TENANT_KEY_ROLES = ['admin', 'agent'] as const;
export type TenantKeyRole = (typeof TENANT_KEY_ROLES)[number];

/** A tenant's API key. Only the SHA-256 of the secret is stored; the secret itself is shown once. */
@Entity({ name: 'api_keys' })
@Unique('api_keys_key_hash_unique', ['keyHash'])
@Check('api_keys_role_check', `role IN ('admin', 'agent')`)
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('api_keys_tenant_idx')
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'api_keys_tenant_id_fkey' })
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 16 })
  role: TenantKeyRole;

  @Column({ type: 'varchar', length: 200, nullable: true })
  label: string | null;

  @Column({ name: 'key_hash', type: 'char', length: 64, select: false })
  keyHash: string;

  /** The first characters of the key, so people can tell their keys apart without the secret. */
  @Column({ name: 'key_prefix', type: 'varchar', length: 24 })
  keyPrefix: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
