import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';

export class RefreshMetadataRequest {
  @ApiPropertyOptional({
    type: [String],
    example: ['Opportunity', 'Support_Case__c'],
    description:
      'Objects to describe; default: Account, Contact, Lead, Opportunity, Task, the objects the maps use and those already stored',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, { each: true, message: 'each object must be an API name' })
  objects?: string[];
}

export class FieldMetadataResponse {
  @ApiProperty() name: string;
  @ApiProperty() label: string;
  @ApiProperty({ example: 'datetime' }) type: string;
  @ApiProperty({ nullable: true, type: Number }) length: number | null;
  @ApiProperty() createable: boolean;
  @ApiProperty() updateable: boolean;
  @ApiProperty() nillable: boolean;
  @ApiProperty() defaultedOnCreate: boolean;
  @ApiProperty({ type: [String] }) picklistValues: string[];
  @ApiProperty({ type: [String], description: 'labels of picklistValues, same order' })
  picklistLabels: string[];
  @ApiProperty({ nullable: true, type: String }) defaultPicklistValue: string | null;
  @ApiProperty() restrictedPicklist: boolean;
  @ApiProperty({ type: [String] }) referenceTo: string[];
  @ApiProperty() externalId: boolean;
}

export class ObjectMetadataResponse {
  @ApiProperty() name: string;
  @ApiProperty() label: string;
  @ApiProperty({ description: 'false when the org has no such object' }) found: boolean;
  @ApiProperty() refreshedAt: Date;
  @ApiProperty({ type: [FieldMetadataResponse] }) fields: FieldMetadataResponse[];
}

export class MetadataChangeResponse {
  @ApiProperty() object: string;
  @ApiPropertyOptional() field?: string;
  @ApiProperty({ enum: ['added', 'removed', 'changed', 'object-found', 'object-lost'] }) change: string;
  @ApiPropertyOptional({ type: [String] }) keys?: string[];
}

export class BrokenMapResponse {
  @ApiProperty() intent: string;
  @ApiProperty() version: number;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) problems: object[];
}

export class RefreshMetadataResponse {
  @ApiProperty({ type: [ObjectMetadataResponse] }) objects: ObjectMetadataResponse[];
  @ApiProperty({ type: [MetadataChangeResponse], description: 'what changed since the last refresh' })
  changes: MetadataChangeResponse[];
  @ApiProperty({ type: [BrokenMapResponse], description: 'live maps the current metadata breaks (drift)' })
  drift: BrokenMapResponse[];
}
