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
    expect(replayResponse(write, 'h1')).toBe(first);
    expect(() => replayResponse(write, 'h2')).toThrow(
      expect.objectContaining({ code: 'IDEMPOTENCY_KEY_REUSED', status: 409 }),
    );
    expect(() => replayResponse({ ...write, response: null }, 'h1')).toThrow(
      expect.objectContaining({ code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS' }),
    );
  });
});
