import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

export const TENANT_REGIONS = ['us', 'eu', 'ap'] as const;
export type TenantRegion = (typeof TENANT_REGIONS)[number];

@Entity({ name: 'tenants' })
@Unique('tenants_name_unique', ['name'])
export class Tenant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  region: TenantRegion;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
