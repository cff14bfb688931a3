import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { DomainError } from '../../../common/errors/domain-error';
import { MappingErrorCode } from '../mapping-error-code';

/** A caller's number in the forms a lookup needs. */
export interface NormalizedPhone {
  /** `+14155551212` */
  e164: string;
  /** National significant digits, `4155551212`: what SOSL searches (digits only, nothing to escape). */
  nationalDigits: string;
  /**
   * The stored formats SOQL compares exactly (salesforce-rest.md §4.4): E.164, international and national
   * formatting, bare digits, and for NANP numbers the usual US spellings.
   */
  storedFormats: string[];
}

/** Parses a caller number (E.164, or national in `defaultRegion`); 422 PHONE_INVALID when it is not a number. */
export function normalizePhone(raw: string, defaultRegion: string, field = 'phone'): NormalizedPhone {
  const parsed = parsePhoneNumberFromString(raw.trim(), {
    defaultCountry: defaultRegion as CountryCode,
    extract: false,
  });
  if (!parsed || !parsed.isPossible()) {
    throw new DomainError(
      MappingErrorCode.PhoneInvalid,
      `${field} is not a phone number this service can read`,
      [
        {
          field,
          code: MappingErrorCode.PhoneInvalid,
          message: `"${raw.slice(0, 40)}" is not a possible phone number`,
        },
      ],
    );
  }
  const national = parsed.nationalNumber;
  const international = parsed.formatInternational();
  const formats = [
    parsed.number,
    international,
    parsed.formatNational(),
    national,
    `${parsed.countryCallingCode}${national}`,
  ];
  if (parsed.countryCallingCode === '1' && national.length === 10) {
    const [a, b, c] = [national.slice(0, 3), national.slice(3, 6), national.slice(6)];
    formats.push(
      `(${a}) ${b}-${c}`,
      `${a}-${b}-${c}`,
      `${a}.${b}.${c}`,
      `${a} ${b} ${c}`,
      `1-${a}-${b}-${c}`,
      `+1 (${a}) ${b}-${c}`,
      `+1-${a}-${b}-${c}`,
      `+1.${a}.${b}.${c}`,
    );
  }
  return { e164: parsed.number, nationalDigits: national, storedFormats: [...new Set(formats)] };
}
