import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import type { IntentMapDefinition } from '../rules/intent-map-definition';
import { IntentMap } from './intent-map.entity';

/** One saved version of an intent map, in full form. Never updated (a trigger refuses it): writes point at it. */
@Entity({ name: 'intent_map_versions' })
@Unique('intent_map_versions_map_version_unique', ['intentMapId', 'version'])
export class IntentMapVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'intent_map_id', type: 'uuid' })
  intentMapId: string;

  @ManyToOne(() => IntentMap, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'intent_map_id', foreignKeyConstraintName: 'intent_map_versions_intent_map_id_fkey' })
  intentMap?: IntentMap;

  @Index('intent_map_versions_tenant_idx')
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'varchar', length: 100 })
  intent: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  definition: IntentMapDefinition;

  /** The API key that saved it. */
  @Column({ name: 'created_by_key_id', type: 'uuid', nullable: true })
  createdByKeyId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
