import {
  expressionValueTypes,
  formatValueExpression,
  parseValueExpression,
  resolveValueExpression,
  ValueExpressionError,
  type ValueScope,
} from './value-expression';

const scope: ValueScope = {
  now: new Date('2026-05-14T10:20:30.000Z'),
  value: '2026-05-20T09:00:00Z',
  payload: { budget: { amount: 5000 }, tags: ['a', 'b'] },
  call: { id: 'call-1', durationSeconds: 312 },
  caller: { phone: '+14155551212', firstName: 'Ada' },
};

describe('parseValueExpression', () => {
  it.each([
    ['$now', { kind: 'now' }],
    ['$today', { kind: 'today' }],
    ['$value', { kind: 'value' }],
    ['$payload.budget.amount', { kind: 'payload', path: ['budget', 'amount'] }],
    ['$call.durationSeconds', { kind: 'call', field: 'durationSeconds' }],
    ['$caller.email', { kind: 'caller', field: 'email' }],
    ['Demo Scheduled', { kind: 'literal', value: 'Demo Scheduled' }],
    ['$$5 off', { kind: 'literal', value: '$5 off' }],
    [42, { kind: 'literal', value: 42 }],
    [false, { kind: 'literal', value: false }],
    [null, { kind: 'literal', value: null }],
    [['A', 'B'], { kind: 'literal', value: ['A', 'B'] }],
  ])('parses %j', (raw, expected) => {
    expect(parseValueExpression(raw)).toEqual(expected);
  });

  it.each([
    ['$tomorrow', /unknown value expression/],
    ['$payload', /unknown value expression/],
    ['$payload.a..b', /unknown value expression/],
    ['$call.colour', /unknown call field/],
    ['$caller.ssn', /unknown caller field/],
    [{ a: 1 }, /a value must be/],
    [[1, 2], /a value must be/],
    [Number.POSITIVE_INFINITY, /finite/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseValueExpression(raw)).toThrow(ValueExpressionError);
    expect(() => parseValueExpression(raw)).toThrow(message);
  });

  it('formats back to the source text, escaping literal dollars', () => {
    for (const raw of ['$now', '$payload.budget.amount', '$caller.phone', '$$5 off', 'x', 3, null]) {
      expect(formatValueExpression(parseValueExpression(raw))).toEqual(raw);
    }
  });
});

describe('resolveValueExpression', () => {
  const resolve = (raw: unknown) => resolveValueExpression(parseValueExpression(raw), scope);

  it('resolves time, value, payload, call, caller and literals', () => {
    expect(resolve('$now')).toEqual({ found: true, value: '2026-05-14T10:20:30.000Z' });
    expect(resolve('$today')).toEqual({ found: true, value: '2026-05-14' });
    expect(resolve('$value')).toEqual({ found: true, value: '2026-05-20T09:00:00Z' });
    expect(resolve('$payload.budget.amount')).toEqual({ found: true, value: 5000 });
    expect(resolve('$payload.tags.1')).toEqual({ found: true, value: 'b' });
    expect(resolve('$call.id')).toEqual({ found: true, value: 'call-1' });
    expect(resolve('$call.durationSeconds')).toEqual({ found: true, value: 312 });
    expect(resolve('$caller.firstName')).toEqual({ found: true, value: 'Ada' });
    expect(resolve('Closed Won')).toEqual({ found: true, value: 'Closed Won' });
  });

  it('says not found for what the call did not give', () => {
    expect(resolve('$payload.budget.currency')).toEqual({ found: false });
    expect(resolve('$payload.budget.amount.deeper')).toEqual({ found: false });
    expect(resolve('$caller.email')).toEqual({ found: false });
    expect(resolve('$call.summary')).toEqual({ found: false });
    expect(resolveValueExpression({ kind: 'value' }, { ...scope, value: undefined })).toEqual({
      found: false,
    });
  });

  it('does not walk into prototype properties of the payload', () => {
    expect(resolve('$payload.constructor')).toEqual({ found: false });
  });
});

describe('expressionValueTypes', () => {
  it('types expressions for the compatibility table', () => {
    expect(expressionValueTypes(parseValueExpression('$now'), 'none')).toEqual(['datetime']);
    expect(expressionValueTypes(parseValueExpression('$today'), 'none')).toEqual(['date']);
    expect(expressionValueTypes(parseValueExpression('$value'), 'currency')).toEqual(['currency']);
    expect(expressionValueTypes(parseValueExpression('$caller.email'), 'none')).toEqual(['email']);
    expect(expressionValueTypes(parseValueExpression('$call.summary'), 'none')).toEqual(['text']);
    expect(expressionValueTypes(parseValueExpression('$payload.x'), 'none')).toBe('any');
  });
});
