import { type AgentIntent, type JsonSchema, valueJsonSchema } from '../mapping';
import { CALL_ID_PATTERN } from '../writes/dto/writes.dto';

/** The three agent tools, by the names voice-agent platforms call them. */
export const AgentToolName = {
  Lookup: 'lookup_caller',
  Intent: 'record_intent',
  Completion: 'complete_call',
} as const;
export type AgentToolName = (typeof AgentToolName)[keyof typeof AgentToolName];

/** A function definition as OpenAI and Anthropic tool calling take it (`parameters` is a JSON Schema object). */
export interface AgentToolDefinition {
  name: AgentToolName;
  description: string;
  parameters: JsonSchema;
}

const callId = {
  type: 'string',
  pattern: CALL_ID_PATTERN.source,
  description: "Your platform's id of this call; the same for every tool call of one call",
};

const idempotencyKey = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  description: 'Optional: send the same key when retrying the same request, so it is written once',
};

const caller = {
  type: 'object',
  description: 'What is known about the caller',
  properties: {
    phone: { type: 'string', maxLength: 40, description: 'E.164 (+14155551212) or national' },
    firstName: { type: 'string', maxLength: 40 },
    lastName: { type: 'string', maxLength: 80 },
    email: { type: 'string', maxLength: 80 },
    company: { type: 'string', maxLength: 255 },
  },
  required: ['phone'],
  additionalProperties: false,
};

function describeIntent({ intent, value }: AgentIntent): string {
  if (!value) return `- ${intent}: no value`;
  const choices = value.allowedValues?.length ? ` (one of: ${value.allowedValues.join(', ')})` : '';
  return value.required
    ? `- ${intent}: needs a ${value.type} value${choices}`
    : `- ${intent}: no value needed; may send a ${value.type} value${choices} instead of the map's default`;
}

/** Per intent that takes a value, its schema, required unless the map has a default for it. */
function valueRules(intents: AgentIntent[]): JsonSchema[] {
  return intents.flatMap(({ intent, value }) =>
    value
      ? [
          {
            if: { properties: { intent: { const: intent } }, required: ['intent'] },
            then: {
              properties: { value: valueJsonSchema(value.type, value.allowedValues ?? []) },
              ...(value.required && { required: ['value'] }),
            },
          },
        ]
      : [],
  );
}

/**
 * The tenant's tools, generated from its live maps: the intents are the enum of `record_intent`, and each
 * intent's value rule is stated twice, in words for the model and as `if`/`then` schemas for validators.
 */
export function buildAgentTools(intents: AgentIntent[]): AgentToolDefinition[] {
  const names = intents.map((intent) => intent.intent);
  const intentTool: AgentToolDefinition = {
    name: AgentToolName.Intent,
    description: [
      "Record what the caller wants in the tenant's Salesforce, during the call. Intents:",
      ...intents.map(describeIntent),
      names.length ? '' : '(This tenant has no intent maps yet: there is nothing to record.)',
      'Answers {writeId, status: "written", records} or {writeId, status: "queued"} (finished in the background).',
    ]
      .filter(Boolean)
      .join('\n'),
    parameters: {
      type: 'object',
      properties: {
        callId,
        // An empty enum is not a valid schema: with no maps yet, any name is accepted (and refused, INTENT_UNKNOWN).
        intent: names.length
          ? { type: 'string', enum: names, description: 'What the caller wants (see the list above)' }
          : { type: 'string', description: 'No intents are mapped yet' },
        value: { description: "The intent's value, when the intent needs one" },
        caller,
        payload: { type: 'object', description: 'Free-form facts some maps read ($payload.<path>)' },
        idempotencyKey,
      },
      required: ['callId', 'intent', 'caller'],
      additionalProperties: false,
      ...(names.length ? { allOf: valueRules(intents) } : {}),
    },
  };
  return [
    {
      name: AgentToolName.Lookup,
      description:
        "Find who is calling in the tenant's Salesforce by phone number: Contacts, Leads and Accounts. Call it first; later intents of the call update the record it finds.",
      parameters: {
        type: 'object',
        properties: {
          phone: { type: 'string', maxLength: 40, description: 'E.164 (+14155551212) or national' },
          callId,
        },
        required: ['phone'],
        additionalProperties: false,
      },
    },
    intentTool,
    {
      name: AgentToolName.Completion,
      description:
        "End the call: it is logged in Salesforce as a completed call (a Task) on the caller's records. Answers at once.",
      parameters: {
        type: 'object',
        properties: {
          callId,
          summary: { type: 'string', maxLength: 32000, description: 'What was said and agreed' },
          durationSeconds: { type: 'integer', minimum: 0 },
          direction: { type: 'string', enum: ['inbound', 'outbound'] },
          disposition: { type: 'string', maxLength: 255, description: 'Outcome, e.g. "Demo booked"' },
          idempotencyKey,
        },
        required: ['callId', 'summary', 'durationSeconds', 'direction'],
        additionalProperties: false,
      },
    },
  ];
}
