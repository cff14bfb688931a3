import { fixtureCatalog } from '../testing/metadata-fixture';
import { describeAgentIntent } from './agent-intent';
import { parseIntentMap } from './intent-map-parser';
import { validateIntentMap, type ValidationContext } from './validate-intent-map';

const context: ValidationContext = { catalog: fixtureCatalog(), profile: 'standard' };

/** Saves a map the way the service does (parse, then resolve against metadata) and describes the result. */
function describeSaved(input: unknown, intent = 'intent') {
  const parsed = parseIntentMap(intent, input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const resolved = validateIntentMap(intent, parsed.value, context);
  expect(resolved.problems).toEqual([]);
  return describeAgentIntent(intent, resolved.definition, context.catalog);
}

describe('describeAgentIntent', () => {
  it('takes an optional value where the short form implies one ($now for a datetime)', () => {
    expect(describeSaved('Opportunity.Demo_Requested_At__c')).toEqual({
      intent: 'intent',
      mode: 'critical',
      value: { required: false, type: 'datetime' },
    });
  });

  it('takes no value when every target is a constant or an expression of its own', () => {
    const described = describeSaved({
      targets: [
        { field: 'Opportunity.Demo_Requested_At__c', value: '$now' },
        { field: 'Opportunity.StageName', value: 'Demo Scheduled' },
      ],
    });
    expect(described.value).toBeNull();
  });

  it('offers the picklist values, required unless one is named like the intent', () => {
    const values = ['Open - Not Contacted', 'Working - Contacted', 'Qualified', 'Closed - Converted'];
    expect(describeSaved('Lead.Status', 'interested').value).toEqual({
      required: true,
      type: 'picklist',
      allowedValues: values,
    });
    expect(describeSaved('Lead.Status', 'qualified').value).toEqual({
      required: false,
      type: 'picklist',
      allowedValues: values,
    });
  });

  it('needs the value when any one target of a full form takes it, and keeps the deferred mode', () => {
    const described = describeSaved({
      mode: 'deferred',
      valueType: 'text',
      targets: [
        { field: 'Task.Subject', value: 'Call summary' },
        { field: 'Task.Description', value: '$value' },
      ],
    });
    expect(described).toMatchObject({ mode: 'deferred', value: { required: true, type: 'text' } });
  });
});
