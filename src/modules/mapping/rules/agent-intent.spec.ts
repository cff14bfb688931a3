import { fixtureCatalog } from '../testing/metadata-fixture';
import { describeAgentIntent } from './agent-intent';
import { parseIntentMap } from './intent-map-parser';
import { validateIntentMap, type ValidationContext } from './validate-intent-map';

const context: ValidationContext = { catalog: fixtureCatalog(), profile: 'standard' };

/** Saves a map the way the service does (parse, then resolve against metadata) and describes the result. */
function describeSaved(input: unknown) {
  const parsed = parseIntentMap('intent', input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const resolved = validateIntentMap('intent', parsed.value, context);
  expect(resolved.problems).toEqual([]);
  return describeAgentIntent('intent', resolved.definition, context.catalog);
}

describe('describeAgentIntent', () => {
  it('asks for a value of the resolved type when a short form writes $value', () => {
    expect(describeSaved('Opportunity.Demo_Requested_At__c')).toEqual({
      intent: 'intent',
      mode: 'critical',
      valueNeeded: true,
      valueType: 'datetime',
      valueChoices: [],
    });
  });

  it('asks for no value when every target is a constant or an expression of its own', () => {
    const described = describeSaved({
      targets: [
        { field: 'Opportunity.Demo_Requested_At__c', value: '$now' },
        { field: 'Opportunity.StageName', value: 'Demo Scheduled' },
      ],
    });
    expect(described).toMatchObject({ valueNeeded: false, valueType: 'none' });
  });

  it('offers the picklist values of the field the value goes to', () => {
    expect(describeSaved('Lead.Status')).toMatchObject({
      valueNeeded: true,
      valueType: 'picklist',
      valueChoices: ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted'],
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
    expect(described).toMatchObject({ mode: 'deferred', valueNeeded: true, valueType: 'text' });
  });
});
