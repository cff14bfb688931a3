import { parseIntentMap, parseIntentMapSet } from './intent-map-parser';

const SEED = {
  demo_requested: 'Opportunity.Demo_Requested_At__c',
  qualified: 'Lead.Status',
  call_summary: 'Task.Description',
};

describe('parseIntentMapSet', () => {
  it('reads the seed short form: one $value target per intent, its default left to the field type', () => {
    const result = parseIntentMapSet(SEED);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([...result.value.keys()]).toEqual(['demo_requested', 'qualified', 'call_summary']);
    expect(result.value.get('qualified')).toEqual({
      targets: [{ field: 'Lead.Status', value: '$value' }],
      routing: false,
      impliedValue: true,
    });
  });

  it('takes a default beside $value only, and never $value as a default', () => {
    const ok = parseIntentMap('demo', {
      targets: [{ field: 'Opportunity.X__c', value: '$value', default: '$now' }],
    });
    expect(ok).toEqual({
      ok: true,
      value: expect.objectContaining({
        targets: [{ field: 'Opportunity.X__c', value: '$value', default: '$now' }],
      }),
    });
    const fixed = parseIntentMap('demo', {
      targets: [{ field: 'Opportunity.X__c', value: '$now', default: 'x' }],
    });
    expect(fixed).toMatchObject({
      ok: false,
      problems: [{ field: 'demo.targets[0].default', message: 'a default only goes with "value": "$value"' }],
    });
    const circular = parseIntentMap('demo', {
      targets: [{ field: 'Opportunity.X__c', value: '$value', default: '$value' }],
    });
    expect(circular).toMatchObject({
      ok: false,
      problems: [{ field: 'demo.targets[0].default', message: 'the default of $value cannot be $value' }],
    });
    const unknown = parseIntentMap('demo', {
      targets: [{ field: 'Opportunity.X__c', value: '$value', default: '$yesterday' }],
    });
    expect(unknown).toMatchObject({ ok: false, problems: [{ field: 'demo.targets[0].default' }] });
  });

  it('reads full and short forms side by side', () => {
    const result = parseIntentMapSet({
      qualified: 'Lead.Status',
      demo: {
        mode: 'critical',
        valueType: 'datetime',
        targets: [
          { field: 'Opportunity.Demo_Requested_At__c', value: '$now' },
          { field: 'Opportunity.StageName', value: 'Demo Scheduled' },
        ],
        routing: true,
        externalIdField: 'My_Key__c',
      },
    });
    expect(result.ok && result.value.get('demo')).toEqual({
      mode: 'critical',
      valueType: 'datetime',
      targets: [
        { field: 'Opportunity.Demo_Requested_At__c', value: '$now' },
        { field: 'Opportunity.StageName', value: 'Demo Scheduled' },
      ],
      routing: true,
      externalIdField: 'My_Key__c',
    });
  });

  it('lists every malformed spot of every intent, naming it', () => {
    const result = parseIntentMapSet({
      good: 'Lead.Status',
      nodot: 'LeadStatus',
      empty: { targets: [] },
      bad: {
        mode: 'sometimes',
        valueType: 'colour',
        routing: 'yes',
        extra: 1,
        targets: [
          { field: 'Opportunity.Demo_Requested_At__c', value: '$later' },
          { field: 'Opportunity.Stage Name', value: 'x' },
          { field: 'Opportunity.Amount' },
          { field: 'Opportunity.Amount', value: 1, note: 'dup' },
          'Lead.Status',
        ],
      },
      'bad intent!': 'Lead.Status',
      chatter: { targets: [{ field: 'Chatter.Case', value: 'hi' }] },
      novalue: { valueType: 'none', targets: [{ field: 'Lead.Status', value: '$value' }] },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const spots = result.problems.map((problem) => problem.field);
    expect(spots).toEqual(
      expect.arrayContaining([
        'nodot',
        'empty.targets',
        'bad.mode',
        'bad.valueType',
        'bad.routing',
        'bad.extra',
        'bad.targets[0].value',
        'bad.targets[1].field',
        'bad.targets[2].value',
        'bad.targets[3].field',
        'bad.targets[3].note',
        'bad.targets[4]',
        'bad intent!',
        'chatter.targets[0].field',
        'novalue.targets[0].value',
      ]),
    );
    expect(spots).not.toContain('good');
    expect(result.problems.every((problem) => problem.code === 'MALFORMED')).toBe(true);
  });

  it('refuses a body that is not an object of intents', () => {
    expect(parseIntentMapSet([]).ok).toBe(false);
    expect(parseIntentMapSet({}).ok).toBe(false);
    expect(parseIntentMapSet('Lead.Status').ok).toBe(false);
  });
});

describe('parseIntentMap', () => {
  it('refuses a non-object, non-string map', () => {
    const result = parseIntentMap('x', 42);
    expect(result.ok).toBe(false);
  });

  it('accepts Chatter subjects and literal values of every JSON kind', () => {
    const result = parseIntentMap('x', {
      targets: [
        { field: 'Chatter.Opportunity', value: 'Demo booked' },
        { field: 'Opportunity.Amount', value: 5000 },
        { field: 'Contact.DoNotCall', value: true },
        { field: 'Lead.Description', value: null },
      ],
    });
    expect(result.ok).toBe(true);
  });
});
