import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository } from 'typeorm';
import { type AuditableEvent, auditRecordOf } from '../../common/audit/audit-journal';
import { AuditChainer } from './audit-chainer';
import { findFirstBrokenLink, GENESIS_HASH } from './audit-chain';
import { AuditEntry, toChainedRecord } from './entities/audit-entry.entity';

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
    private readonly chainer: AuditChainer,
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
  ) {}

  /** Records a domain event: durable when this resolves, in the tenant's chain shortly after. */
  record(action: string, subject: { type: string; id: string }, event: AuditableEvent): Promise<void> {
    return this.chainer.journal(auditRecordOf(action, subject, event));
  }

  /** The tenant's entries, oldest first (everything journaled before the call is chained first). */
  async list(tenantId: string, filter: AuditFilter): Promise<AuditEntry[]> {
    await this.chainer.chainPending();
    return this.chained(tenantId, filter);
  }

  private chained(tenantId: string, filter: AuditFilter): Promise<AuditEntry[]> {
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
    await this.chainer.chainPending();
    let afterSeq = 0;
    let count = 0;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const batch = await this.chained(tenantId, { afterSeq, limit: VERIFY_BATCH });
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
