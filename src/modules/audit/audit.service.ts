import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, Repository } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { currentRequestId } from '../../common/http/request-context';
import { AuditRecord, findFirstBrokenLink, GENESIS_HASH, hashAuditRecord } from './audit-chain';
import { AuditEntry, toChainedRecord } from './entities/audit-entry.entity';

export interface AuditEvent {
  tenantId: string;
  action: string;
  actor: Principal | { role: 'system' };
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  since?: Date;
  until?: Date;
  action?: string;
  writeId?: string;
  /** Entries after this position in the tenant's chain. */
  afterSeq?: number;
  limit: number;
}

export type AuditVerification =
  { ok: true; entries: number } | { ok: false; firstBadId: string; entries: number };

const VERIFY_BATCH = 1000;

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
  ) {}

  /** Appends one entry to the tenant's chain; one writer at a time per tenant keeps the chain linear. */
  async record(event: AuditEvent): Promise<void> {
    const record: AuditRecord = {
      tenantId: event.tenantId,
      action: event.action,
      actor: { ...event.actor },
      requestId: currentRequestId() ?? null,
      subjectType: event.subjectType ?? null,
      subjectId: event.subjectId ?? null,
      details: event.details ?? {},
      occurredAt: new Date().toISOString(),
    };
    await this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        `audit:${event.tenantId}`,
      ]);
      const [last] = await manager.query<Array<{ seq: number; hash: string }>>(
        'SELECT seq, hash FROM audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1',
        [event.tenantId],
      );
      const seq = (last?.seq ?? 0) + 1;
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = hashAuditRecord(record, seq, prevHash);
      const entry = manager.create(AuditEntry, {
        ...record,
        occurredAt: new Date(record.occurredAt),
        seq,
        prevHash,
        hash,
      });
      await manager.save(entry);
    });
  }

  /** The tenant's entries, oldest first. */
  list(tenantId: string, filter: AuditFilter): Promise<AuditEntry[]> {
    const query = this.entries
      .createQueryBuilder('entry')
      .where('entry.tenant_id = :tenantId', { tenantId })
      .orderBy('entry.seq', 'ASC')
      .limit(filter.limit);
    if (filter.afterSeq !== undefined) query.andWhere('entry.seq > :afterSeq', { afterSeq: filter.afterSeq });
    if (filter.since) query.andWhere('entry.occurred_at >= :since', { since: filter.since });
    if (filter.until) query.andWhere('entry.occurred_at < :until', { until: filter.until });
    if (filter.action) query.andWhere('entry.action = :action', { action: filter.action });
    if (filter.writeId) {
      const writeId = filter.writeId;
      query.andWhere(
        new Brackets((where) =>
          where
            .where(`entry.subject_type = 'write' AND entry.subject_id = :writeId`, { writeId })
            .orWhere(`entry.details ->> 'writeId' = :writeId`, { writeId }),
        ),
      );
    }
    return query.getMany();
  }

  /** Re-computes the tenant's whole chain, batch by batch, and names the first entry that does not hold. */
  async verify(tenantId: string): Promise<AuditVerification> {
    let afterSeq = 0;
    let count = 0;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const batch = await this.list(tenantId, { afterSeq, limit: VERIFY_BATCH });
      if (batch.length === 0) return { ok: true, entries: count };
      const broken = findFirstBrokenLink(batch.map(toChainedRecord), { seq: afterSeq + 1, prevHash });
      if (broken) {
        const bad = batch.find((entry) => entry.seq === broken.seq) ?? batch[0];
        return { ok: false, firstBadId: bad.id, entries: count + batch.length };
      }
      count += batch.length;
      const last = batch[batch.length - 1];
      afterSeq = last.seq;
      prevHash = last.hash;
    }
  }
}
