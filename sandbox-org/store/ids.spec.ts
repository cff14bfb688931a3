import { IdFactory, normalizeId, to18 } from './ids';

describe('ids', () => {
  it('appends the checksum of §2 (recorded ids keep their suffix)', () => {
    expect(to18('a00B000000FSkcv')).toBe('a00B000000FSkcvIAD');
    expect(to18('001x0000003DHP0')).toBe('001x0000003DHP0AAO');
  });

  it('normalizes 15-char input and 18-char input in any letter case', () => {
    expect(normalizeId('a00B000000FSkcv')).toBe('a00B000000FSkcvIAD');
    expect(normalizeId('A00B000000FSKCVIAD')).toBe('a00B000000FSkcvIAD');
    expect(normalizeId('a00b000000fskcviad')).toBe('a00B000000FSkcvIAD');
    expect(normalizeId('a00B000000FSkcv555')).toBeUndefined(); // the suffix claims digits are upper-case
  });

  it('refuses a mixed-case 18-char id whose checksum contradicts its letters', () => {
    // 'IAE' would make the id 'a00B000000fsKcv': another record, but the letters as given say otherwise
    expect(normalizeId('a00B000000FSkcvIAE')).toBeUndefined();
    expect(normalizeId('a00B000000FSkcvIAA')).toBeUndefined();
    expect(normalizeId('001xyz')).toBeUndefined();
  });

  it('issues ids with the key prefix and the org pod code', () => {
    const ids = new IdFactory('5g');
    expect(ids.next('003')).toMatch(/^0035g0{9}1\w{3}$/);
    expect(ids.next('003')).not.toBe(ids.next('003'));
  });
});
