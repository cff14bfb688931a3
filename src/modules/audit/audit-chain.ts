import { createHash } from 'node:crypto';
import type { AuditRecord } from '../../common/audit/audit-journal';

export type { AuditRecord };

export interface ChainedAuditRecord extends AuditRecord {
  seq: number;
  prevHash: string;
  hash: string;
}

/** The first entry of every tenant's chain points at this. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Each entry's hash covers its position, its content and the previous entry's hash, so editing, removing or
 * reordering any entry breaks every hash after it.
 */
export function hashAuditRecord(record: AuditRecord, seq: number, prevHash: string): string {
  const content = canonicalJson({ ...record, seq, prevHash });
  return createHash('sha256').update(content).digest('hex');
}

/**
 * The first entry whose hash or link does not match, or null when the chain is intact. `from` says where the
 * entries start when checking a long chain in batches.
 */
export function findFirstBrokenLink(
  entries: Iterable<ChainedAuditRecord>,
  from: { seq: number; prevHash: string } = { seq: 1, prevHash: GENESIS_HASH },
): ChainedAuditRecord | null {
  let expectedPrev = from.prevHash;
  let expectedSeq = from.seq;
  for (const entry of entries) {
    const { seq, prevHash, hash, ...record } = entry;
    if (seq !== expectedSeq || prevHash !== expectedPrev || hashAuditRecord(record, seq, prevHash) !== hash) {
      return entry;
    }
    expectedPrev = hash;
    expectedSeq += 1;
  }
  return null;
}

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
