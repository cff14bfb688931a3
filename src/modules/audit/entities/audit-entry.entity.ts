import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ChainedAuditRecord } from '../audit-chain';

/**
 * One entry of a tenant's audit chain. Append-only: the table's triggers refuse changes, and TypeORM must never
 * synchronise it (it does not model triggers).
 */
@Entity({ name: 'audit_log', synchronize: false })
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'integer' })
  seq: number;

  @Column({ type: 'varchar', length: 100 })
  action: string;

  @Column({ type: 'jsonb' })
  actor: Record<string, unknown>;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ name: 'subject_type', type: 'varchar', length: 50, nullable: true })
  subjectType: string | null;

  @Column({ name: 'subject_id', type: 'varchar', length: 100, nullable: true })
  subjectId: string | null;

  @Column({ type: 'jsonb' })
  details: Record<string, unknown>;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash: string;

  @Column({ type: 'char', length: 64 })
  hash: string;
}

/** The entry as its chain hashed it (dates as ISO strings). */
export function toChainedRecord(entry: AuditEntry): ChainedAuditRecord {
  return {
    tenantId: entry.tenantId,
    action: entry.action,
    actor: entry.actor,
    requestId: entry.requestId,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    details: entry.details,
    occurredAt: entry.occurredAt.toISOString(),
    seq: entry.seq,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}
