import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { AgentIntent } from '../mapping';
import { buildAgentTools } from './agent-tool-definitions';

const intent = (name: string, value: AgentIntent['value'] = null): AgentIntent => ({
  intent: name,
  mode: 'critical',
  value,
});

/** Strict ajv: a schema a strict validator (or a model provider) would refuse fails here. */
function compile(schema: Record<string, unknown>) {
  const ajv = new Ajv({ strict: true, strictRequired: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('buildAgentTools', () => {
  it('builds three tools whose parameters are valid JSON Schemas', () => {
    const tools = buildAgentTools([
      intent('demo_requested', { required: false, type: 'datetime' }),
      intent('qualified', { required: true, type: 'picklist', allowedValues: ['Hot', 'Cold'] }),
      intent('callback'),
    ]);
    expect(tools.map((tool) => tool.name)).toEqual(['lookup_caller', 'record_intent', 'complete_call']);
    for (const tool of tools) expect(() => compile(tool.parameters)).not.toThrow();
  });

  it('with no maps yet, still offers record_intent with a valid schema and says there is nothing to record', () => {
    const [, record] = buildAgentTools([]);
    const validate = compile(record.parameters);
    expect(validate({ callId: 'c1', intent: 'anything', caller: { phone: '+14155551212' } })).toBe(true);
    expect(record.description).toContain('no intent maps yet');
  });

  it('requires the value only for the intents whose maps take it with no default', () => {
    const [, record] = buildAgentTools([
      intent('budget', { required: true, type: 'currency' }),
      intent('callback'),
      intent('demo_requested', { required: false, type: 'datetime' }),
    ]);
    const validate = compile(record.parameters);
    const base = { callId: 'c1', caller: { phone: '+14155551212' } };
    expect(validate({ ...base, intent: 'budget', value: 1500 })).toBe(true);
    expect(validate({ ...base, intent: 'budget' })).toBe(false);
    expect(validate({ ...base, intent: 'callback' })).toBe(true);
    expect(validate({ ...base, intent: 'callback', extra: true })).toBe(false);
    expect(validate({ ...base, intent: 'demo_requested' })).toBe(true);
    expect(validate({ ...base, intent: 'demo_requested', value: '2026-06-01T09:00:00Z' })).toBe(true);
    expect(validate({ ...base, intent: 'demo_requested', value: 'soon' })).toBe(false);
    expect(record.description).toContain(
      "- demo_requested: no value needed; may send a datetime value instead of the map's default",
    );
  });
});
