import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import {
  FIELD_TYPE_COLUMNS,
  fieldTypeColumn,
  isCompatible,
  literalValueTypes,
  naturalValueType,
  VALUE_TYPES,
  valueJsonSchema,
  valueMatchesType,
} from './type-compatibility';

/**
 * The expected table, written out independently of the implementation: one row per value type, one character
 * per column in FIELD_TYPE_COLUMNS order ("x" = compatible, "." = not). Every cell is its own test.
 */
const COLUMNS =
  'string textarea encryptedstring combobox picklist restricted-picklist multipicklist phone email url id reference boolean int long double currency percent date datetime time base64 address location anyType complexvalue json';
//                 st ta es cb pk rp mp ph em ur id rf bo in lo do cu pe da dt ti b6 ad lo an cv js
const EXPECTED: Record<string, string> = {
  none: '          .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .',
  string: '        x  x  x  x  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .',
  text: '          .  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .',
  picklist: '      x  x  x  x  x  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .',
  multipicklist: ' .  .  .  .  .  .  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .',
  phone: '         x  x  .  .  .  .  .  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .',
  email: '         x  x  .  .  .  .  .  .  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .',
  url: '           x  x  .  .  .  .  .  .  .  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .',
  id: '            x  .  .  .  .  .  .  .  .  .  .  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .',
  boolean: '       .  .  .  .  .  .  .  .  .  .  .  .  x  .  .  .  .  .  .  .  .  .  .  .  .  .  .',
  integer: '       .  .  .  .  .  .  .  .  .  .  .  .  .  x  x  x  x  x  .  .  .  .  .  .  .  .  .',
  number: '        .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  x  x  x  .  .  .  .  .  .  .  .  .',
  currency: '      .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  x  x  .  .  .  .  .  .  .  .  .  .',
  percent: '       .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  x  .  x  .  .  .  .  .  .  .  .  .',
  date: '          .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  x  .  .  .  .  .  .  .  .',
  datetime: '      .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  x  .  .  .  .  .  .  .',
  time: '          .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  x  .  .  .  .  .  .',
};

const columns = COLUMNS.split(' ').map((column) => column.replace('-', ' '));
const cells = VALUE_TYPES.flatMap((valueType) => {
  const marks = EXPECTED[valueType].trim().split(/\s+/);
  return columns.map((column, index) => [valueType, column, marks[index] === 'x'] as const);
});

function fieldFor(column: string) {
  return column === 'restricted picklist'
    ? { type: 'picklist', restrictedPicklist: true }
    : { type: column, restrictedPicklist: false };
}

describe('TYPE_COMPATIBILITY', () => {
  it('has the columns and rows the expected grid has', () => {
    expect(columns).toEqual([...FIELD_TYPE_COLUMNS]);
    expect(Object.keys(EXPECTED).sort()).toEqual([...VALUE_TYPES].sort());
    for (const valueType of VALUE_TYPES) {
      expect(EXPECTED[valueType].trim().split(/\s+/)).toHaveLength(columns.length);
    }
  });

  it.each(cells)('%s → %s: %s', (valueType, column, expected) => {
    expect(isCompatible(valueType, fieldFor(column))).toBe(expected);
  });

  it('treats an unknown describe type as incompatible with everything', () => {
    expect(fieldTypeColumn({ type: 'hologram', restrictedPicklist: false })).toBeNull();
    expect(
      VALUE_TYPES.some((valueType) =>
        isCompatible(valueType, { type: 'hologram', restrictedPicklist: false }),
      ),
    ).toBe(false);
  });

  it('gives each writable field type a natural hint that the table accepts for it', () => {
    for (const column of FIELD_TYPE_COLUMNS) {
      const field = fieldFor(column);
      const natural = naturalValueType(field);
      if (natural) expect(isCompatible(natural, field)).toBe(true);
    }
    expect(naturalValueType({ type: 'address' })).toBeNull();
    expect(naturalValueType({ type: 'int' })).toBe('integer');
    expect(naturalValueType({ type: 'textarea' })).toBe('text');
  });
});

describe('valueMatchesType', () => {
  it.each([
    ['datetime', '2026-05-14T10:00:00Z', true],
    ['datetime', '2026-05-14T10:00:00.000+0000', true],
    ['datetime', '2026-05-14', false],
    ['date', '2026-05-14', true],
    ['date', '2026-13-45', false],
    ['integer', 3, true],
    ['integer', 3.5, false],
    ['number', 3.5, true],
    ['currency', '12', false],
    ['boolean', false, true],
    ['email', 'a@b.co', true],
    ['email', 'nope', false],
    ['id', '0015g00000AbCdEAAA', true],
    ['id', '42', false],
    ['multipicklist', ['A', 'B'], true],
    ['string', 7, false],
    ['none', undefined, true],
    ['none', 'x', false],
    ['time', '10:30:00Z', true],
  ] as const)('%s accepts %j: %s', (valueType, value, expected) => {
    expect(valueMatchesType(valueType, value)).toBe(expected);
  });
});

describe('literalValueTypes', () => {
  it('types JSON literals by their most specific reading', () => {
    expect(literalValueTypes(true)).toEqual(['boolean']);
    expect(literalValueTypes(3)).toEqual(['integer']);
    expect(literalValueTypes(3.5)).toEqual(['number']);
    expect(literalValueTypes('2026-05-14')).toContain('date');
    expect(literalValueTypes('Demo Scheduled')).not.toContain('date');
    expect(literalValueTypes(['A'])).toEqual(['multipicklist']);
    expect(literalValueTypes(null)).toEqual([]);
  });
});

describe('valueJsonSchema', () => {
  const ajv = new Ajv({ strict: false });
  addFormats(ajv);
  const samples: unknown[] = [
    'Demo booked',
    '',
    'a@b.co',
    'not an email',
    '2026-05-14',
    '2026-05-14T10:30:00Z',
    '10:30:00',
    '0015g00000AbCdEAAZ',
    'https://example.com',
    true,
    3,
    2.5,
    ['A', 'B'],
    null,
  ];

  it.each(VALUE_TYPES.filter((type) => type !== 'none'))(
    'the %s schema never accepts a value the write path refuses',
    (valueType) => {
      const validate = ajv.compile(valueJsonSchema(valueType));
      expect(samples.some((sample) => validate(sample))).toBe(true);
      for (const sample of samples) {
        // The schema may be stricter (url, multipicklist as a list only), never looser.
        if (validate(sample))
          expect([valueType, sample, valueMatchesType(valueType, sample)]).toEqual([valueType, sample, true]);
      }
    },
  );

  it('limits picklist values to the choices given', () => {
    const validate = ajv.compile(valueJsonSchema('picklist', ['Hot', 'Cold']));
    expect(validate('Hot')).toBe(true);
    expect(validate('Warm')).toBe(false);
  });
});
