import {
  fieldTypeColumn,
  isCompatible,
  type ValueType,
} from '../../../src/modules/mapping/rules/type-compatibility';
import type { Schemas } from '../api/client';

export type ObjectMetadata = Schemas['ObjectMetadataResponse'];
export type FieldMetadata = Schemas['FieldMetadataResponse'];

export interface FieldOption {
  /** `Object.Field` */
  value: string;
  object: string;
  field: FieldMetadata;
  /** Why this field cannot take the map's value; null when it can. */
  disabledReason: string | null;
}

/**
 * Every field of every described object as a picker option, with the reason a field cannot be chosen for the
 * map's type hint. Compatibility comes from the API's own table (imported from its sources), so the console
 * never disagrees with validation at save.
 */
export function fieldOptions(objects: ObjectMetadata[], valueType: ValueType | null): FieldOption[] {
  return objects
    .filter((object) => object.found)
    .flatMap((object) =>
      object.fields.map((field) => ({
        value: `${object.name}.${field.name}`,
        object: object.name,
        field,
        disabledReason: disabledReason(field, valueType),
      })),
    );
}

function disabledReason(field: FieldMetadata, valueType: ValueType | null): string | null {
  if (!field.createable && !field.updateable) return 'read-only field';
  if (fieldTypeColumn(field) === null) return `a ${field.type} field takes no value`;
  if (valueType && valueType !== 'none' && !isCompatible(valueType, field)) {
    return `a ${valueType} value cannot go into a ${field.restrictedPicklist ? 'restricted picklist' : field.type} field`;
  }
  return null;
}

/** Type-ahead: every word typed must appear in the option's name or label (case-insensitive). */
export function matchesSearch(option: FieldOption, search: string): boolean {
  const haystack = `${option.value} ${option.field.label}`.toLowerCase();
  return search
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** The value picker's suggestions: expressions, then the field's picklist values as constants. */
export function valueSuggestions(field: FieldMetadata | undefined): string[] {
  const expressions = [
    '$value',
    '$now',
    '$today',
    '$caller.firstName',
    '$caller.lastName',
    '$caller.email',
    '$caller.phone',
    '$caller.company',
    '$call.summary',
  ];
  return [...expressions, ...(field?.picklistValues ?? [])];
}
