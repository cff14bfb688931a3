import type { Write } from '../entities/write.entity';
import { canonicalJson, replayResponse, requestHash } from './idempotency';

describe('idempotency', () => {
  it('hashes the same request the same, whatever the key order', () => {
    expect(requestHash('intents', 'c1', { intent: 'a', caller: { phone: '1', lastName: 'X' } })).toBe(
      requestHash('intents', 'c1', { caller: { lastName: 'X', phone: '1' }, intent: 'a' }),
    );
    expect(requestHash('intents', 'c1', { intent: 'a' })).not.toBe(
      requestHash('intents', 'c2', { intent: 'a' }),
    );
    expect(requestHash('intents', 'c1', { intent: 'a' })).not.toBe(
      requestHash('complete', 'c1', { intent: 'a' }),
    );
    expect(canonicalJson({ b: [1, { d: 2, c: 1 }], a: undefined })).toBe('{"b":[1,{"c":1,"d":2}]}');
  });

  it('replays the first response, refuses another body (409), and a request still in flight', () => {
    const first = { status: 200, body: { writeId: 'w1' } };
    const write = { requestHash: 'h1', response: first } as Write;
    expect(replayResponse(write, 'h1', 3000)).toBe(first);
    expect(() => replayResponse(write, 'h2', 3000)).toThrow(
      expect.objectContaining({ code: 'IDEMPOTENCY_KEY_REUSED' }),
    );
    const justCreated = { ...write, response: null, createdAt: new Date(Date.now() - 100) } as Write;
    expect(() => replayResponse(justCreated, 'h1', 3000)).toThrow(
      expect.objectContaining({ code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' }),
    );
  });

  it('answers where the write stands when its first request died unanswered (the API process was killed)', () => {
    const orphan = {
      id: 'w1',
      requestHash: 'h1',
      response: null,
      createdAt: new Date(10_000),
      status: 'pending',
      payload: { records: { Account: '001A' } },
      recordIds: {},
    } as unknown as Write;
    expect(replayResponse(orphan, 'h1', 3000, 14_000)).toEqual({
      status: 202,
      body: { writeId: 'w1', status: 'queued' },
    });
    const written = { ...orphan, status: 'written', recordIds: { Opportunity: '006B' } } as Write;
    expect(replayResponse(written, 'h1', 3000, 14_000)).toEqual({
      status: 200,
      body: { writeId: 'w1', status: 'written', records: { Account: '001A', Opportunity: '006B' } },
    });
    expect(replayResponse({ ...orphan, status: 'dead' }, 'h1', 3000, 14_000).body).toEqual({
      writeId: 'w1',
      status: 'dead',
    });
  });
});
