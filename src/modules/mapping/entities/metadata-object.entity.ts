import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Tenant } from '../../tenancy/entities/tenant.entity';
import { MetadataField } from './metadata-field.entity';

/** One described sObject of a tenant's org; `found = false` records that the org said it has no such object. */
@Entity({ name: 'metadata_objects' })
@Unique('metadata_objects_tenant_name_unique', ['tenantId', 'nameKey'])
export class MetadataObject {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('metadata_objects_tenant_idx')
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'metadata_objects_tenant_id_fkey' })
  tenant?: Tenant;

  /** The API name as the org spells it. */
  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Lower-case name: API names are case-insensitive. */
  @Column({ name: 'name_key', type: 'varchar', length: 100 })
  nameKey: string;

  @Column({ type: 'varchar', length: 255 })
  label: string;

  @Column({ type: 'boolean' })
  found: boolean;

  @Column({ name: 'refreshed_at', type: 'timestamptz' })
  refreshedAt: Date;

  @OneToMany(() => MetadataField, (field) => field.object)
  fields?: MetadataField[];
}
