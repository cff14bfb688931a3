import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { type AuditRecord, journalInsert } from '../../common/audit/audit-journal';
import { GENESIS_HASH, hashAuditRecord } from './audit-chain';

/** Entries moved per transaction; a longer journal takes several passes. */
const BATCH = 1000;
/** One chainer at a time across all processes: chains are extended in journal order. */
const CHAIN_LOCK = 'audit:chain';

interface JournalRow {
  id: string;
  tenant_id: string;
  action: string;
  actor: Record<string, unknown>;
  request_id: string | null;
  subject_type: string | null;
  subject_id: string | null;
  details: Record<string, unknown>;
  occurred_at: Date;
}

/**
 * Moves journaled entries into their tenants' hash chains (`audit_log`): in one transaction it deletes a batch
 * from the journal and appends it to the chains, so an entry is always in exactly one of the two. Entries become
 * durable when journaled, with their change; chaining only orders and seals them. The worker chains
 * periodically (AuditChainingJob); readers of the log chain what is pending first.
 */
@Injectable()
export class AuditChainer {
  private passes: Promise<void> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Journals one entry now: durable when this resolves, chained by the next pass. */
  async journal(record: AuditRecord): Promise<void> {
    const { sql, params } = journalInsert([record], 1);
    await this.dataSource.query(sql, params);
  }

  /** Chains everything journaled so far, waiting for another process's pass: readers call it first. */
  chainPending(): Promise<void> {
    return this.inTurn(() => this.drain(true));
  }

  /** The worker's periodic pass: one cheap probe when the journal is empty; skipped while another pass runs. */
  chainInBackground(): Promise<void> {
    return this.inTurn(async () => {
      const [{ pending }] = await this.dataSource.query<Array<{ pending: boolean }>>(
        'SELECT EXISTS (SELECT 1 FROM audit_journal) AS pending',
      );
      if (pending) await this.drain(false);
    });
  }

  /** This process's passes run one after the other; a failed one does not stop the next. */
  private inTurn(pass: () => Promise<void>): Promise<void> {
    const run = this.passes.then(pass);
    this.passes = run.catch(() => undefined);
    return run;
  }

  private async drain(waitForLock: boolean): Promise<void> {
    for (;;) {
      const moved = await this.dataSource.transaction((manager) => this.moveBatch(manager, waitForLock));
      if (moved < BATCH) return;
    }
  }

  /** One batch from the journal into the chains; 0 when another process holds the chain lock. */
  private async moveBatch(manager: EntityManager, waitForLock: boolean): Promise<number> {
    if (waitForLock) {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [CHAIN_LOCK]);
    } else {
      const [{ locked }] = await manager.query<Array<{ locked: boolean }>>(
        'SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked',
        [CHAIN_LOCK],
      );
      if (!locked) return 0;
    }
    // TypeORM answers a DELETE ... RETURNING on Postgres with `[rows, affected]`.
    const [rows] = await manager.query<[JournalRow[], number]>(
      `DELETE FROM audit_journal WHERE id IN (SELECT id FROM audit_journal ORDER BY id LIMIT ${BATCH})
       RETURNING *`,
    );
    if (rows.length === 0) return 0;
    rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const tenants = [...new Set(rows.map((row) => row.tenant_id))];
    // One index probe per tenant for its chain's last entry (DISTINCT ON would read each whole chain).
    const heads = await manager.query<Array<{ tenant_id: string; seq: number; hash: string }>>(
      `SELECT tenant.id AS tenant_id, head.seq, head.hash FROM unnest($1::uuid[]) AS tenant(id)
       CROSS JOIN LATERAL (SELECT seq, hash FROM audit_log WHERE tenant_id = tenant.id ORDER BY seq DESC LIMIT 1) head`,
      [tenants],
    );
    const chains = new Map(heads.map((head) => [head.tenant_id, { seq: head.seq, hash: head.hash }]));
    const values: string[] = [];
    const params: unknown[] = [];
    for (const row of rows) {
      const head = chains.get(row.tenant_id) ?? { seq: 0, hash: GENESIS_HASH };
      const record: AuditRecord = {
        tenantId: row.tenant_id,
        action: row.action,
        actor: row.actor,
        requestId: row.request_id,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        details: row.details,
        occurredAt: row.occurred_at.toISOString(),
      };
      const seq = head.seq + 1;
      const hash = hashAuditRecord(record, seq, head.hash);
      const at = params.length + 1;
      values.push(
        `($${at}::uuid, $${at + 1}::int, $${at + 2}, $${at + 3}::jsonb, $${at + 4}, $${at + 5}, $${at + 6},
          $${at + 7}::jsonb, $${at + 8}::timestamptz, $${at + 9}, $${at + 10})`,
      );
      params.push(
        record.tenantId,
        seq,
        record.action,
        JSON.stringify(record.actor),
        record.requestId,
        record.subjectType,
        record.subjectId,
        JSON.stringify(record.details),
        record.occurredAt,
        head.hash,
        hash,
      );
      chains.set(row.tenant_id, { seq, hash });
    }
    await manager.query(
      `INSERT INTO audit_log (tenant_id, seq, action, actor, request_id, subject_type, subject_id, details,
         occurred_at, prev_hash, hash) VALUES ${values.join(', ')}`,
      params,
    );
    return rows.length;
  }
}
