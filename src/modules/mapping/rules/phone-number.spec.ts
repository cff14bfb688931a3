import { DomainError } from '../../../common/errors/domain-error';
import { normalizePhone } from './phone-number';

describe('normalizePhone', () => {
  it('reads E.164 and national US numbers alike', () => {
    for (const raw of ['+14155551212', '(415) 555-1212', '415.555.1212', '1-415-555-1212']) {
      const phone = normalizePhone(raw, 'US');
      expect(phone.e164).toBe('+14155551212');
      expect(phone.nationalDigits).toBe('4155551212');
    }
  });

  it('lists the stored formats SOQL compares', () => {
    expect(normalizePhone('+14155551212', 'US').storedFormats).toEqual(
      expect.arrayContaining([
        '+14155551212',
        '+1 415 555 1212',
        '(415) 555-1212',
        '415-555-1212',
        '415.555.1212',
        '4155551212',
        '14155551212',
      ]),
    );
    expect(normalizePhone('+44 20 7946 0018', 'US').storedFormats).toEqual(
      expect.arrayContaining(['+442079460018', '+44 20 7946 0018', '020 7946 0018', '2079460018']),
    );
  });

  it('uses the default region for numbers without a country code', () => {
    expect(normalizePhone('020 7946 0018', 'GB').e164).toBe('+442079460018');
  });

  it('refuses what is not a phone number with PHONE_INVALID', () => {
    for (const raw of ['', 'abc', '123', "415' OR 1=1"]) {
      expect(() => normalizePhone(raw, 'US')).toThrow(DomainError);
      try {
        normalizePhone(raw, 'US');
      } catch (error) {
        expect(error).toMatchObject({ code: 'PHONE_INVALID' });
      }
    }
  });
});
