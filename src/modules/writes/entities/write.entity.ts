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
import type { PlannedOperation } from '../../mapping';
import { Tenant } from '../../tenancy/entities/tenant.entity';

export const WRITE_STATUSES = ['pending', 'written', 'retrying', 'dead'] as const;
export type WriteStatus = (typeof WRITE_STATUSES)[number];

/** `intent`: POST /v1/calls/{callId}/intents; `completion`: POST /v1/calls/{callId}/complete (the call's Task). */
export type WriteKind = 'intent' | 'completion';

/** What the write was asked to do, kept so a retry or a replay plans and sends exactly the same thing. */
export interface WritePayload {
  value?: unknown;
  caller: { phone?: string; firstName?: string; lastName?: string; email?: string; company?: string };
  payload?: unknown;
  call?: { summary?: string; durationSeconds?: number; direction?: string; disposition?: string };
  /** Record ids known to the call when the write was planned (lookup match, earlier writes). */
  records: Record<string, string>;
  /** `$now` of the plan, ISO. */
  now: string;
}

export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * The outbox: one row per agent write, inserted before anything is sent to Salesforce. Its status moves
 * pending → written | retrying → written | dead; Bull only carries the work.
 */
@Entity({ name: 'writes' })
@Unique('writes_tenant_idempotency_key_unique', ['tenantId', 'idempotencyKey'])
@Index('writes_tenant_call_idx', ['tenantId', 'callId'])
@Index('writes_status_idx', ['status', 'updatedAt'])
@Index('writes_tenant_created_idx', ['tenantId', 'createdAt'])
export class Write {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'writes_tenant_id_fkey' })
  tenant?: Tenant;

  @Column({ name: 'call_id', type: 'varchar', length: 128 })
  callId: string;

  @Column({ type: 'varchar', length: 100 })
  intent: string;

  @Column({ type: 'varchar', length: 20 })
  kind: WriteKind;

  @Column({ type: 'varchar', length: 20 })
  status: WriteStatus;

  @Column({ type: 'jsonb' })
  payload: WritePayload;

  /** The plan's operations, in order; null until planned (a completion is planned by its job). */
  @Column({ type: 'jsonb', nullable: true })
  operations: PlannedOperation[] | null;

  /** How many operations have been sent successfully (a retry resumes after them). */
  @Column({ name: 'operations_done', type: 'integer', default: 0 })
  operationsDone: number;

  @Column({ name: 'map_version_id', type: 'uuid', nullable: true })
  mapVersionId: string | null;

  @Column({ name: 'map_version', type: 'integer', nullable: true })
  mapVersion: number | null;

  /** Ids of the records this write created or updated, by object. */
  @Column({ name: 'record_ids', type: 'jsonb', default: () => `'{}'` })
  recordIds: Record<string, string>;

  /** What was left out and why (plan notes, a Chatter post the profile refuses). */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  notes: string[];

  @Column({ name: 'idempotency_key', type: 'varchar', length: 255, nullable: true })
  idempotencyKey: string | null;

  /** SHA-256 of the route and body: the same key with another body is refused. */
  @Column({ name: 'request_hash', type: 'varchar', length: 64, nullable: true })
  requestHash: string | null;

  /** The first answer, replayed for the same Idempotency-Key. */
  @Column({ name: 'response', type: 'jsonb', nullable: true })
  response: StoredResponse | null;

  @Column({ name: 'requested_by_key_id', type: 'uuid', nullable: true })
  requestedByKeyId: string | null;

  @Column({ name: 'last_error_code', type: 'varchar', length: 100, nullable: true })
  lastErrorCode: string | null;

  @Column({ name: 'last_error_message', type: 'text', nullable: true })
  lastErrorMessage: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'written_at', type: 'timestamptz', nullable: true })
  writtenAt: Date | null;
}
