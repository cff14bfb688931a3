import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditRecord, GENESIS_HASH, hashAuditRecord } from './audit-chain';
import { AuditEntry } from './entities/audit-entry.entity';

interface PendingRecord {
  record: AuditRecord;
  settle: (error?: Error) => void;
}

/** How long records wait to be written together; short enough that the log reads as live. */
const BATCH_WINDOW_MS = 20;

/**
 * Appends records to their tenants' chains in batches: one transaction, one lock and one multi-row insert per
 * tenant per batch. Chaining needs one writer at a time per tenant; taking that lock per record made every
 * audited event of a busy tenant queue behind the others and hold a database connection while it waited,
 * which starved the mid-call path of connections.
 */
@Injectable()
export class AuditAppender implements OnApplicationShutdown {
  private pending: PendingRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Resolves once the record is in its chain. */
  append(record: AuditRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ record, settle: (error) => (error ? reject(error) : resolve()) });
      this.timer ??= setTimeout(() => void this.flush(), BATCH_WINDOW_MS);
    });
  }

  /** Writes everything pending; batches are written one after the other, so chains stay in order. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  private async write(batch: PendingRecord[]): Promise<void> {
    for (const group of groupByTenant(batch)) {
      try {
        await this.dataSource.transaction((manager) =>
          appendToChain(manager, group[0].record.tenantId, group),
        );
        group.forEach((item) => item.settle());
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        group.forEach((item) => item.settle(failure));
      }
    }
  }
}

async function appendToChain(
  manager: EntityManager,
  tenantId: string,
  group: PendingRecord[],
): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`audit:${tenantId}`]);
  const [last] = await manager.query<Array<{ seq: number; hash: string }>>(
    'SELECT seq, hash FROM audit_log WHERE tenant_id = $1 ORDER BY seq DESC LIMIT 1',
    [tenantId],
  );
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const entries = group.map(({ record }) => {
    seq += 1;
    const hash = hashAuditRecord(record, seq, prevHash);
    const entry = manager.create(AuditEntry, {
      ...record,
      occurredAt: new Date(record.occurredAt),
      seq,
      prevHash,
      hash,
    });
    prevHash = hash;
    return entry;
  });
  await manager.save(entries);
}

function groupByTenant(batch: PendingRecord[]): PendingRecord[][] {
  const groups = new Map<string, PendingRecord[]>();
  for (const item of batch) {
    const group = groups.get(item.record.tenantId) ?? [];
    group.push(item);
    groups.set(item.record.tenantId, group);
  }
  return [...groups.values()];
}
