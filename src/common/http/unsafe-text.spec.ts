import { findUnsafeText, MAX_INPUT_DEPTH, unsafeTextReason } from './unsafe-text';

describe('findUnsafeText', () => {
  it('accepts ordinary text, emoji and right-to-left marks', () => {
    expect(unsafeTextReason('Ada Lovelace 😀 \u202e')).toBeUndefined();
    expect(
      findUnsafeText({ caller: { company: '😀'.repeat(60) }, script: [{ intent: 'x' }] }),
    ).toBeUndefined();
  });

  it('names the field holding a NUL or a lone surrogate, in values and in keys', () => {
    expect(findUnsafeText({ caller: { company: 'a\u0000b' } })).toMatchObject({ field: 'caller.company' });
    expect(findUnsafeText({ script: [{ intent: 'Half\ud83d' }] })).toMatchObject({
      field: 'script[0].intent',
    });
    expect(findUnsafeText({ payload: { ['\udc00']: 1 } })).toMatchObject({ field: 'payload' });
    expect(findUnsafeText('x\u0000', 'callId')).toMatchObject({ field: 'callId' });
  });

  it('refuses nesting deeper than the limit without exhausting the stack', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnsafeText(deep)).toMatchObject({ code: 'NESTING_TOO_DEEP' });
    let allowed: unknown = 'leaf';
    for (let i = 0; i < MAX_INPUT_DEPTH - 1; i++) allowed = { a: allowed };
    expect(findUnsafeText(allowed)).toBeUndefined();
  });
});
