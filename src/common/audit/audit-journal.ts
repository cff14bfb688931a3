import type { Actor } from '../auth/principal';
import { currentRequestId } from '../http/request-context';

/** What an audit entry says, before the audit module places it in its tenant's hash chain. */
export interface AuditRecord {
  tenantId: string;
  action: string;
  actor: Record<string, unknown>;
  requestId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
  occurredAt: string;
}

/** What every audited domain event carries; everything else in it becomes the entry's details. */
export interface AuditableEvent {
  tenantId: string;
  actor: Actor;
  [detail: string]: unknown;
}

/** The entry a domain event becomes: its tenant and actor; the rest of the event is the entry's details. */
export function auditRecordOf(
  action: string,
  subject: { type: string; id: string },
  event: AuditableEvent,
): AuditRecord {
  const { tenantId, actor, ...details } = event;
  return {
    tenantId,
    action,
    actor: { ...actor },
    requestId: currentRequestId() ?? null,
    subjectType: subject.type,
    subjectId: subject.id,
    details,
    occurredAt: new Date().toISOString(),
  };
}

/**
 * The audit journal is where entries become durable: a state change inserts its entries into `audit_journal`
 * in the same statement (or transaction) as the change itself, so a crash can lose neither. The audit module
 * then moves them, in order, into the hash-chained `audit_log` (AuditChainer).
 *
 * Returns the `INSERT INTO audit_journal ... SELECT ... FROM <source>` for the records, numbering its
 * parameters from `firstParam`; with a `source` (a CTE of the changed row) the entries are written only when
 * the change happened.
 */
export function journalInsert(
  records: AuditRecord[],
  firstParam: number,
  source?: string,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const rows = records.map((record) => {
    const at = firstParam + params.length;
    params.push(
      record.tenantId,
      record.action,
      JSON.stringify(record.actor),
      record.requestId,
      record.subjectType,
      record.subjectId,
      JSON.stringify(record.details),
      record.occurredAt,
    );
    return `($${at}::uuid, $${at + 1}::varchar, $${at + 2}::jsonb, $${at + 3}::varchar, $${at + 4}::varchar,
      $${at + 5}::varchar, $${at + 6}::jsonb, $${at + 7}::timestamptz)`;
  });
  const sql = `INSERT INTO audit_journal (tenant_id, action, actor, request_id, subject_type, subject_id, details,
      occurred_at)
    SELECT entry.* FROM (VALUES ${rows.join(', ')}) AS entry${source ? `, ${source}` : ''}`;
  return { sql, params };
}
