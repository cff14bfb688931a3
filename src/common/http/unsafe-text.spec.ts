import fc from 'fast-check';
import { findUnsafeText, MAX_INPUT_DEPTH, unsafeTextReason } from './unsafe-text';

const HOSTILE = ['a\u0000b', 'Half\ud83d', '\udc00tail', '\ud83d'];
/** Object keys made of plain characters, so a path reads back unambiguously. */
const plainKey = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);

describe('findUnsafeText', () => {
  it('accepts ordinary text, emoji and right-to-left marks', () => {
    expect(unsafeTextReason('Ada Lovelace 😀 \u202e')).toBeUndefined();
    expect(
      findUnsafeText({ caller: { company: '😀'.repeat(60) }, script: [{ intent: 'x' }] }),
    ).toBeUndefined();
  });

  it('accepts any JSON made of well-formed text (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expect(findUnsafeText(value)).toBeUndefined();
      }),
    );
  });

  it('finds a hostile string wherever it is nested, and names its path (property)', () => {
    fc.assert(
      fc.property(
        fc.array(plainKey, { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...HOSTILE),
        fc.jsonValue({ maxDepth: 2 }),
        (path, hostile, sibling) => {
          const leaf = path.reduceRight<unknown>(
            (inner, key) => ({ [key]: inner, zz_sibling: sibling }),
            hostile,
          );
          expect(findUnsafeText(leaf)).toMatchObject({ field: path.join('.'), code: 'TEXT_INVALID' });
        },
      ),
    );
  });

  it('names the field holding a NUL or a lone surrogate, in values and in keys', () => {
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
