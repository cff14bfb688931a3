import { ApiProperty } from '@nestjs/swagger';

export class AgentToolView {
  @ApiProperty({ enum: ['lookup_caller', 'record_intent', 'complete_call'] }) name: string;
  @ApiProperty() description: string;
  @ApiProperty({ description: 'JSON Schema of the arguments', type: 'object', additionalProperties: true })
  parameters: Record<string, unknown>;
}

export class AgentToolsResponse {
  @ApiProperty({ type: [AgentToolView] }) tools: AgentToolView[];
}
