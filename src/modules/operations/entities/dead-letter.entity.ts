import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { Tenant } from '../../tenancy/entities/tenant.entity';
import type { WritePayload } from '../../writes/entities/write.entity';
import { Write } from '../../writes/entities/write.entity';

export const DEAD_LETTER_STATUSES = ['open', 'replayed'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/** One attempt of the write, as it stood when the write died. */
export interface AttemptSnapshot {
  operation: number;
  via: string;
  outcome: string;
  errorClass: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  durationMs: number;
  startedAt: string;
}

/**
 * The durable record of a dead write (Bull only carries its alert): what was asked, with which map version,
 * every attempt, and the final error. One per write: a write that dies again after a replay reopens it.
 */
@Entity({ name: 'dead_letters' })
@Unique('dead_letters_write_unique', ['writeId'])
@Index('dead_letters_tenant_status_idx', ['tenantId', 'status', 'createdAt'])
export class DeadLetter {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'dead_letters_tenant_id_fkey' })
  tenant?: Tenant;

  @Column({ name: 'write_id', type: 'uuid' })
  writeId: string;

  @ManyToOne(() => Write, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'write_id', foreignKeyConstraintName: 'dead_letters_write_id_fkey' })
  write?: Write;

  @Column({ name: 'call_id', type: 'varchar', length: 128 })
  callId: string;

  @Column({ type: 'varchar', length: 100 })
  intent: string;

  @Column({ type: 'varchar', length: 20 })
  status: DeadLetterStatus;

  @Column({ type: 'jsonb' })
  payload: WritePayload;

  @Column({ name: 'map_version_id', type: 'uuid', nullable: true })
  mapVersionId: string | null;

  @Column({ name: 'map_version', type: 'integer', nullable: true })
  mapVersion: number | null;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  attempts: AttemptSnapshot[];

  @Column({ name: 'error_class', type: 'varchar', length: 20, nullable: true })
  errorClass: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 100 })
  errorCode: string;

  @Column({ name: 'error_message', type: 'text' })
  errorMessage: string;

  /** How many times the write died (1, or more after replays that failed again). */
  @Column({ type: 'integer', default: 1 })
  deaths: number;

  @Column({ type: 'integer', default: 0 })
  replays: number;

  @Column({ name: 'alerted_at', type: 'timestamptz', nullable: true })
  alertedAt: Date | null;

  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
