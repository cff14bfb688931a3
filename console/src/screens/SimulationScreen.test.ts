import { appendStep } from './SimulationScreen';

describe('appendStep', () => {
  it('starts a script from an empty editor and appends to an existing one', () => {
    const first = appendStep('', { intent: 'demo_requested', value: '2026-01-01T10:00:00Z' });
    expect(JSON.parse(appendStep(first, { intent: 'call_summary' }))).toEqual([
      { intent: 'demo_requested', value: '2026-01-01T10:00:00Z' },
      { intent: 'call_summary' },
    ]);
  });

  it('refuses to append to something that is not a list of steps', () => {
    expect(() => appendStep('{"intent": "x"}', { intent: 'y' })).toThrow(
      'The script must be a JSON list of steps',
    );
    expect(() => appendStep('[{', { intent: 'y' })).toThrow(SyntaxError);
  });
});
