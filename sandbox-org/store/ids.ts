/**
 * Salesforce record ids (salesforce-rest.md §2): a 3-character key prefix naming the object, 12 more
 * case-sensitive characters, and a 3-character checksum that makes the 18-character form case-insensitive.
 */

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_BODY = /^[a-zA-Z0-9]+$/;

/** The 3 checksum characters: one per 5-char chunk, bit i set when char i is an upper-case letter. */
function checksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

export function to18(id15: string): string {
  return id15 + checksum(id15);
}

/**
 * The canonical 18-character id for a 15- or 18-character input, or undefined when the input is not an id
 * (§3.2 MALFORMED_ID). An 18-character id may come back case-folded (all upper or all lower case): its
 * checksum tells which letters were upper-case. A mixed-case id must carry its own checksum; one whose suffix
 * contradicts its letters (or claims a digit is upper-case) is malformed, not another record's id.
 */
export function normalizeId(input: string): string | undefined {
  if (!ID_BODY.test(input)) return undefined;
  if (input.length === 15) return to18(input);
  if (input.length !== 18) return undefined;
  const suffix = input.slice(15).toUpperCase();
  let id15 = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = CHECKSUM_ALPHABET.indexOf(suffix[chunk]);
    if (bits < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const c = input[chunk * 5 + i];
      id15 += bits & (1 << i) ? c.toUpperCase() : c.toLowerCase();
    }
  }
  const id18 = to18(id15);
  if (id18.slice(15) !== suffix) return undefined;
  const given = input.slice(0, 15);
  const caseFolded = given === given.toLowerCase() || given === given.toUpperCase();
  return given === id15 || caseFolded ? id18 : undefined;
}

/** Issues ids for one org: prefix + the org's 2-character pod code + a base-62 counter, so reset replays them. */
export class IdFactory {
  private counter = 0;

  constructor(private readonly podCode: string) {}

  next(keyPrefix: string): string {
    this.counter += 1;
    let n = this.counter;
    let digits = '';
    while (n > 0) {
      digits = BASE62[n % 62] + digits;
      n = Math.floor(n / 62);
    }
    return to18(keyPrefix + this.podCode + digits.padStart(10, '0'));
  }
}
