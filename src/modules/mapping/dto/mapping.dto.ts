import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { NestedObject } from '../../../common/http/nested-object';
import { DUPLICATE_POLICIES, INTENT_MODES } from '../rules/intent-map-definition';
import { VALUE_TYPES } from '../rules/type-compatibility';

/** OpenAPI only: maps are parsed by the mapping parser, so that a malformed map is a 400 naming its spot. */
export class IntentMapTargetSchema {
  @ApiProperty({ example: 'Opportunity.Demo_Requested_At__c' }) field: string;
  @ApiProperty({
    oneOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'array', items: { type: 'string' } },
    ],
    example: '$now',
    description:
      '$now, $today, $value, $payload.<path>, $call.<field>, $caller.<field>, or a JSON literal ("$$" escapes a literal dollar)',
  })
  value: unknown;
  @ApiPropertyOptional({
    oneOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'array', items: { type: 'string' } },
    ],
    example: '$now',
    description:
      'only beside "value": "$value": written when the agent sends no value. A short-form map gets the default its field implies: datetime $now, date $today, checkbox true, picklist the value named like the intent',
  })
  default?: unknown;
}

export class AgentValueSchema {
  @ApiProperty({ description: 'false: the agent may send the intent alone' }) required: boolean;
  @ApiProperty({ enum: VALUE_TYPES }) type: string;
  @ApiPropertyOptional({ type: [String], description: 'for picklist values: the only values accepted' })
  allowedValues?: string[];
}

export class IntentMapFullFormSchema {
  @ApiPropertyOptional({
    enum: INTENT_MODES,
    description: 'default: deferred when every target is Task or Chatter',
  })
  mode?: string;
  @ApiPropertyOptional({
    enum: VALUE_TYPES,
    description: "type hint of the agent's value; default: the first $value target's natural type",
  })
  valueType?: string;
  @ApiProperty({ type: [IntentMapTargetSchema] }) targets: IntentMapTargetSchema[];
  @ApiPropertyOptional({ description: 'true: Lead writes run the org assignment rules' }) routing?: boolean;
  @ApiPropertyOptional({ example: 'AICall_External_Id__c' }) externalIdField?: string;
  @ApiPropertyOptional({
    enum: DUPLICATE_POLICIES,
    description:
      "when the org's duplicate rules block a new record: use_matched (default) writes onto the record the rule names and remembers it for the call; allow saves anyway (allowSave=true); fail lets the write fail",
  })
  duplicates?: string;
}

export class IntentMapResponse extends IntentMapFullFormSchema {
  @ApiProperty() intent: string;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'uuid', description: 'what each write records' }) versionId: string;
  @ApiProperty() savedAt: Date;
}

export class ActiveIntentMapResponse extends IntentMapResponse {
  @ApiProperty({
    type: AgentValueSchema,
    nullable: true,
    description: 'what the agent may or must send with this intent; null: no value',
  })
  agentValue: AgentValueSchema | null;
}

export class IntentMapListItemResponse extends ActiveIntentMapResponse {
  @ApiProperty({ enum: ['ok', 'broken'] }) status: string;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'why the map would fail today (drift)',
  })
  drift: object[];
}

export class ImportMappingsResponse {
  @ApiProperty() count: number;
  @ApiProperty({ type: [ActiveIntentMapResponse] }) intents: ActiveIntentMapResponse[];
}

export class AutoMapRequest {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { budget: 'currency', demo_requested_at: 'datetime' },
  })
  @IsObject()
  fields: Record<string, string>;

  @ApiPropertyOptional({ type: [String], description: 'objects to search, in order of preference' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, { each: true, message: 'each object must be an API name' })
  objects?: string[];
}

export class AutoMapResponse {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { demo_requested_at: 'Opportunity.Demo_Requested_At__c' },
  })
  mapped: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) valueTypes: Record<
    string,
    string
  >;
  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      properties: { name: { type: 'string' }, reason: { type: 'string' } },
      required: ['name', 'reason'],
    },
  })
  unmapped: Array<{
    name: string;
    reason: string;
  }>;
}

export class ExportQuery {
  @ApiPropertyOptional({ enum: ['short', 'full'] })
  @IsOptional()
  @IsIn(['short', 'full'])
  format?: 'short' | 'full';
}

export class SimulationCaller {
  @ApiPropertyOptional({ example: '+14155551212' }) @IsOptional() @IsString() @MaxLength(40) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) firstName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(80) lastName?: string;
  @ApiPropertyOptional({ example: 'jane@example.com' }) @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) company?: string;
}

export class SimulationStepRequest {
  @ApiProperty({ example: 'demo_requested' }) @IsString() @MaxLength(100) intent: string;
  @ApiPropertyOptional({ description: 'what the agent would send', example: '2026-05-14T10:00:00Z' })
  @Allow()
  value?: unknown;
  @ApiPropertyOptional({ type: SimulationCaller })
  @IsOptional()
  @NestedObject(() => SimulationCaller)
  caller?: SimulationCaller;
  @ApiPropertyOptional() @IsOptional() @IsObject() payload?: Record<string, unknown>;
}

export class SimulationRequest {
  @ApiProperty({ type: [SimulationStepRequest] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @NestedObject(() => SimulationStepRequest, { each: true })
  script: SimulationStepRequest[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) callId?: string;

  @ApiPropertyOptional({
    description: 'records the caller lookup would find, by object',
    example: { Contact: '003…' },
  })
  @IsOptional()
  @IsObject()
  records?: Record<string, string>;
}

export class SampleScriptResponse {
  @ApiProperty({
    type: [SimulationStepRequest],
    description: 'one step per live map with a value of its type hint; the go-live checklist simulates it',
  })
  script: SimulationStepRequest[];
}

export class SimulationStepResponse {
  @ApiProperty() step: number;
  @ApiProperty() intent: string;
  @ApiProperty({ nullable: true, type: Number }) mapVersion: number | null;
  @ApiProperty({ nullable: true, type: String }) mapVersionId: string | null;
  @ApiProperty({ nullable: true, type: String }) mode: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    description: 'the exact Salesforce requests: a composite (in the call) or queued requests',
  })
  operations: object[];
  @ApiProperty({ type: 'array', items: { type: 'object' } }) problems: object[];
  @ApiProperty({ type: [String] }) notes: string[];
}

export class SimulationRequestCounts {
  @ApiProperty() total: number;
  @ApiProperty() inCall: number;
}

export class SimulationResponse {
  @ApiProperty() callId: string;
  @ApiProperty({ type: [SimulationStepResponse] }) steps: SimulationStepResponse[];
  @ApiProperty({ type: SimulationRequestCounts }) requests: SimulationRequestCounts;
  @ApiProperty({ description: 'problems across all steps' }) problems: number;
}
