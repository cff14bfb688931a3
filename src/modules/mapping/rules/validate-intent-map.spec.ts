import { fieldMeta, fixtureCatalog } from '../testing/metadata-fixture';
import { MetadataCatalog } from './field-metadata';
import type { IntentMapDraft } from './intent-map-definition';
import { parseIntentMap } from './intent-map-parser';
import { validateIntentMap, type ValidationContext } from './validate-intent-map';

const context: ValidationContext = { catalog: fixtureCatalog(), profile: 'standard' };

function draft(input: unknown): IntentMapDraft {
  const result = parseIntentMap('intent', input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

const validate = (input: unknown, ctx: ValidationContext = context) =>
  validateIntentMap('intent', draft(input), ctx);
const codes = (input: unknown, ctx?: ValidationContext) => validate(input, ctx).problems.map((p) => p.code);

describe('validateIntentMap', () => {
  it('completes a short form: natural type hint, mode, canonical names, default key', () => {
    const result = validate('opportunity.demo_requested_at__c');
    expect(result.problems).toEqual([]);
    expect(result.definition).toEqual({
      mode: 'critical',
      valueType: 'datetime',
      targets: [{ field: 'Opportunity.Demo_Requested_At__c', value: '$value', default: '$now' }],
      routing: false,
      externalIdField: 'AICall_External_Id__c',
      duplicates: 'use_matched',
    });
    expect(validate('Task.Description').definition).toMatchObject({ mode: 'deferred', valueType: 'text' });
    expect(validate('Lead.Status').definition).toMatchObject({ mode: 'critical', valueType: 'picklist' });
  });

  describe('a short form implies its value from the field type (map by intent)', () => {
    const implied = (intent: string, target: string, catalog = fixtureCatalog()) =>
      validateIntentMap(intent, draft(target), { catalog, profile: 'standard' }).definition.targets[0];

    it('datetime → $now, date → $today, checkbox → true', () => {
      const catalog = new MetadataCatalog([
        {
          name: 'Lead',
          label: 'Lead',
          found: true,
          refreshedAt: new Date(),
          fields: [
            fieldMeta('Callback_On__c', 'date'),
            fieldMeta('Hot__c', 'boolean'),
            fieldMeta('Seen_At__c', 'datetime'),
          ],
        },
      ]);
      expect(implied('callback', 'Lead.Callback_On__c', catalog).default).toBe('$today');
      expect(implied('hot', 'Lead.Hot__c', catalog).default).toBe(true);
      expect(implied('seen', 'Lead.Seen_At__c', catalog).default).toBe('$now');
    });

    it('picklist → the value named like the intent, by API name or label, after normalisation', () => {
      expect(implied('qualified', 'Lead.Status').default).toBe('Qualified');
      expect(implied('Demo-Scheduled', 'Opportunity.StageName').default).toBe('Demo Scheduled');
      const catalog = new MetadataCatalog([
        {
          name: 'Task',
          label: 'Task',
          found: true,
          refreshedAt: new Date(),
          fields: [
            fieldMeta('TaskSubtype', 'picklist', {
              picklistValues: ['ListEmail', 'Call'],
              picklistLabels: ['List Email', 'Call'],
            }),
          ],
        },
      ]);
      expect(implied('list_email', 'Task.TaskSubtype', catalog).default).toBe('ListEmail');
    });

    it("no matching picklist value, texts and numbers: the agent's value, no default", () => {
      expect(implied('interested', 'Lead.Status')).toEqual({ field: 'Lead.Status', value: '$value' });
      expect(implied('call_summary', 'Task.Description')).toEqual({
        field: 'Task.Description',
        value: '$value',
      });
      expect(implied('budget', 'Opportunity.Amount')).toEqual({
        field: 'Opportunity.Amount',
        value: '$value',
      });
    });
  });

  it('checks a full form default against the field like a constant', () => {
    const at = (input: unknown) => validate(input).problems.map((p) => [p.field, p.code]);
    expect(
      at({ targets: [{ field: 'Opportunity.Demo_Requested_At__c', value: '$value', default: '$today' }] }),
    ).toEqual([['intent.targets[0].default', 'TYPE_INCOMPATIBLE']]);
    expect(
      at({ targets: [{ field: 'Support_Case__c.Severity__c', value: '$value', default: 'S9' }] }),
    ).toEqual([['intent.targets[0].default', 'PICKLIST_VALUE_INVALID']]);
    expect(
      at({ targets: [{ field: 'Support_Case__c.Severity__c', value: '$value', default: 'S2' }] }),
    ).toEqual([]);
  });

  it('accepts the api.md full form', () => {
    const result = validate({
      mode: 'critical',
      valueType: 'datetime',
      targets: [
        { field: 'Opportunity.Demo_Requested_At__c', value: '$now' },
        { field: 'Opportunity.StageName', value: 'Demo Scheduled' },
      ],
      routing: false,
    });
    expect(result.problems).toEqual([]);
  });

  it('METADATA_MISSING: an object never described', () => {
    expect(codes('Product_Interest__c.Product__c')).toEqual(['METADATA_MISSING']);
  });

  it('OBJECT_NOT_FOUND: an object the org said it does not have', () => {
    expect(codes('Ghost__c.Anything__c')).toEqual(['OBJECT_NOT_FOUND']);
  });

  it('FIELD_NOT_FOUND: an unknown field of a known object', () => {
    const result = validate('Opportunity.Demo_Requested__c');
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'FIELD_NOT_FOUND',
        field: 'intent.targets[0]',
        intent: 'intent',
        target: 'Opportunity.Demo_Requested__c',
      }),
    ]);
  });

  it('TYPE_INCOMPATIBLE: with the type hint, with the expression, and with a literal', () => {
    expect(
      codes({ valueType: 'boolean', targets: [{ field: 'Opportunity.Amount', value: '$value' }] }),
    ).toEqual(['TYPE_INCOMPATIBLE']);
    expect(codes({ targets: [{ field: 'Opportunity.Amount', value: '$now' }] })).toEqual([
      'TYPE_INCOMPATIBLE',
    ]);
    expect(codes({ targets: [{ field: 'Opportunity.CloseDate', value: 'soon' }] })).toEqual([
      'TYPE_INCOMPATIBLE',
    ]);
    expect(codes({ targets: [{ field: 'Opportunity.Next_Step_Count__c', value: 1.5 }] })).toEqual([
      'TYPE_INCOMPATIBLE',
    ]);
    expect(codes({ targets: [{ field: 'Opportunity.Name', value: 'x'.repeat(121) }] })).toEqual([
      'TYPE_INCOMPATIBLE',
    ]);
    expect(codes({ targets: [{ field: 'Opportunity.Name', value: null }] })).toEqual(['TYPE_INCOMPATIBLE']);
    expect(codes({ targets: [{ field: 'Opportunity.CloseDate', value: '2026-06-30' }] })).toEqual([]);
    expect(codes({ targets: [{ field: 'Opportunity.Amount', value: '$payload.budget' }] })).toEqual([]);
  });

  it('NOT_WRITABLE: read-only, create-only, and the external-ID key itself', () => {
    expect(codes('Lead.IsConverted')).toEqual(['NOT_WRITABLE']);
    expect(codes({ targets: [{ field: 'Task.TaskSubtype', value: 'Call' }] })).toEqual(['NOT_WRITABLE']);
    expect(codes({ targets: [{ field: 'Account.AICall_External_Id__c', value: 'x' }] })).toEqual([
      'NOT_WRITABLE',
    ]);
  });

  it('PICKLIST_VALUE_INVALID: a constant not in a restricted picklist (not for unrestricted ones)', () => {
    const result = validate({ targets: [{ field: 'Opportunity.StageName', value: 'Demo Booked' }] });
    expect(result.problems).toEqual([expect.objectContaining({ code: 'PICKLIST_VALUE_INVALID' })]);
    expect(result.problems[0].message).toContain('Demo Scheduled');
    expect(codes({ targets: [{ field: 'Lead.Status', value: 'Anything Goes' }] })).toEqual([]);
  });

  it('SCOPE_INSUFFICIENT: Chatter on a standard connection, anything without a connection', () => {
    const chatter = { targets: [{ field: 'Chatter.Opportunity', value: 'Demo booked' }] };
    const result = validate(chatter);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'SCOPE_INSUFFICIENT' })]);
    expect(result.problems[0].message).toContain('privileged');
    expect(codes(chatter, { ...context, profile: 'privileged' })).toEqual([]);
    expect(codes(chatter, { ...context, profile: 'extended' })).toEqual(['SCOPE_INSUFFICIENT']);
    expect(codes('Lead.Status', { ...context, profile: null })).toEqual(['SCOPE_INSUFFICIENT']);
  });

  it('EXTERNAL_ID_MISSING and REQUIRED_FIELD_MISSING for objects the plan writes', () => {
    expect(codes('No_Key__c.Note__c')).toEqual(['EXTERNAL_ID_MISSING']);
    const result = validate('Call_Recording__c.Call_Id__c');
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'REQUIRED_FIELD_MISSING', field: 'intent' }),
    ]);
    expect(result.problems[0].message).toContain('Recording_Url__c');
    expect(
      codes({
        targets: [
          { field: 'Call_Recording__c.Call_Id__c', value: '$call.id' },
          { field: 'Call_Recording__c.Recording_Url__c', value: '$payload.url' },
        ],
      }),
    ).toEqual([]);
  });

  it('reports one problem per bad target, all of them', () => {
    const result = validate({
      targets: [
        { field: 'Opportunity.Nope__c', value: 1 },
        { field: 'Opportunity.StageName', value: 'Nope' },
        { field: 'Opportunity.Amount', value: 5 },
        { field: 'Lead.IsConverted', value: true },
      ],
    });
    expect(result.problems.map((p) => [p.field, p.code])).toEqual([
      ['intent.targets[0]', 'FIELD_NOT_FOUND'],
      ['intent.targets[1]', 'PICKLIST_VALUE_INVALID'],
      ['intent.targets[3]', 'NOT_WRITABLE'],
    ]);
  });

  it('METADATA_MISSING for a parent the plan writes with the target (Opportunity needs Account and Contact)', () => {
    const objects = fixtureCatalog()
      .allObjects()
      .filter((object) => object.name !== 'Account');
    const result = validate('Opportunity.Amount', {
      catalog: new MetadataCatalog(objects),
      profile: 'standard',
    });
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'METADATA_MISSING', target: 'Account', field: 'intent' }),
    ]);
  });
});
