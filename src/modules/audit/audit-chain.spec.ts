import {
  AuditRecord,
  canonicalJson,
  ChainedAuditRecord,
  findFirstBrokenLink,
  GENESIS_HASH,
  hashAuditRecord,
} from './audit-chain';

function chain(records: AuditRecord[]): ChainedAuditRecord[] {
  let prevHash = GENESIS_HASH;
  return records.map((record, index) => {
    const seq = index + 1;
    const hash = hashAuditRecord(record, seq, prevHash);
    const entry = { ...record, seq, prevHash, hash };
    prevHash = hash;
    return entry;
  });
}

const record = (action: string): AuditRecord => ({
  tenantId: 't1',
  action,
  actor: { role: 'operator' },
  requestId: 'r1',
  subjectType: 'api-key',
  subjectId: 'k1',
  details: { role: 'agent' },
  occurredAt: '2026-11-24T10:00:00.000Z',
});

describe('audit chain', () => {
  it('hashes the same content the same way whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('finds nothing wrong in an intact chain', () => {
    expect(findFirstBrokenLink(chain([record('a'), record('b'), record('c')]))).toBeNull();
  });

  it('finds an edited entry', () => {
    const entries = chain([record('a'), record('b'), record('c')]);
    entries[1] = { ...entries[1], details: { role: 'admin' } };
    expect(findFirstBrokenLink(entries)?.seq).toBe(2);
  });

  it('finds a removed entry and a re-hashed forgery that does not link', () => {
    const entries = chain([record('a'), record('b'), record('c')]);
    expect(findFirstBrokenLink([entries[0], entries[2]])?.seq).toBe(3);
    const { seq, prevHash, hash: _original, ...content } = entries[1];
    const forgedContent = { ...content, action: 'x' };
    const forged = { ...forgedContent, seq, prevHash, hash: hashAuditRecord(forgedContent, seq, prevHash) };
    expect(findFirstBrokenLink([entries[0], forged, entries[2]])?.seq).toBe(3);
  });
});
