import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Tenant } from '../../tenancy/entities/tenant.entity';

/**
 * A tenant's intent: which version is current, and whether it was deleted. The versions themselves are
 * immutable rows (writes record the version they used), so deleting an intent only marks it.
 */
@Entity({ name: 'intent_maps' })
@Unique('intent_maps_tenant_intent_unique', ['tenantId', 'intent'])
export class IntentMap {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'intent_maps_tenant_id_fkey' })
  tenant?: Tenant;

  @Column({ type: 'varchar', length: 100 })
  intent: string;

  @Column({ name: 'current_version', type: 'integer' })
  currentVersion: number;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
