import type { FieldMetadata, MetadataCatalog } from './field-metadata';
import { isCompatible, VALUE_TYPES, type ValueType } from './type-compatibility';

/** `demo_requested_at`, `Demo_Requested_At__c` and `DemoRequestedAt` all become `demorequestedat`. */
export function normaliseName(name: string): string {
  return name
    .replace(/__c$/i, '')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

export interface AutoMapResult {
  /** Short form, ready for PUT /v1/mappings. */
  mapped: Record<string, string>;
  /** The type hint of each mapped field, so a full form can be made from it. */
  valueTypes: Record<string, ValueType>;
  unmapped: Array<{ name: string; reason: string }>;
}

/**
 * Proposes a target for each named field: a field of the given objects (all described objects when none are
 * given) whose API name matches after normalisation, that the connector can write, and whose type the table
 * accepts for the hint. With several matches the first object in `objects` wins; without an order it is
 * ambiguous and left unmapped.
 */
export function autoMap(
  fields: Record<string, string>,
  catalog: MetadataCatalog,
  objects?: string[],
): AutoMapResult {
  const result: AutoMapResult = { mapped: {}, valueTypes: {}, unmapped: [] };
  const searched = objects
    ? objects.map((name) => catalog.object(name)).filter((object) => object !== undefined)
    : catalog.allObjects();
  const missing = objects?.filter((name) => !catalog.object(name)?.found) ?? [];
  const searchable = searched.filter((object) => object.found);

  for (const [name, hint] of Object.entries(fields)) {
    if (!(VALUE_TYPES as readonly string[]).includes(hint)) {
      result.unmapped.push({
        name,
        reason: `unknown type hint "${hint}" (known: ${VALUE_TYPES.join(', ')})`,
      });
      continue;
    }
    const valueType = hint as ValueType;
    const wanted = normaliseName(name);
    const candidates = searchable.flatMap((object) =>
      object.fields
        .filter((field) => normaliseName(field.name) === wanted)
        .map((field) => ({ object, field })),
    );
    const fitting = candidates.filter(({ field }) => writable(field) && isCompatible(valueType, field));
    if (fitting.length === 1 || (fitting.length > 1 && objects)) {
      const { object, field } = fitting[0];
      result.mapped[name] = `${object.name}.${field.name}`;
      result.valueTypes[name] = valueType;
      continue;
    }
    result.unmapped.push({
      name,
      reason: reasonUnmapped(name, valueType, candidates, fitting, searchable.length, missing),
    });
  }
  return result;
}

function writable(field: FieldMetadata): boolean {
  return field.createable && field.updateable;
}

function reasonUnmapped(
  name: string,
  valueType: ValueType,
  candidates: Array<{ object: { name: string }; field: FieldMetadata }>,
  fitting: Array<{ object: { name: string }; field: FieldMetadata }>,
  searchedCount: number,
  missing: string[],
): string {
  const label = ({ object, field }: (typeof candidates)[number]) => `${object.name}.${field.name}`;
  if (fitting.length > 1) {
    return `ambiguous: ${fitting.map(label).join(', ')} all fit; name the objects in order of preference`;
  }
  if (candidates.length === 0) {
    if (searchedCount === 0) {
      return missing.length
        ? `no metadata for ${missing.join(', ')}: run POST /v1/metadata/refresh`
        : 'no field metadata loaded: run POST /v1/metadata/refresh';
    }
    return `no field named like "${name}"`;
  }
  return candidates
    .map((candidate) =>
      writable(candidate.field)
        ? `${label(candidate)} is ${candidate.field.type}, which a ${valueType} value cannot be written to`
        : `${label(candidate)} is not writable`,
    )
    .join('; ');
}
