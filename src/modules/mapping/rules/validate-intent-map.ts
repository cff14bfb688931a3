import type { Problem } from '../../../common/errors/domain-error';
import {
  profileAllows,
  requiredProfileFor,
  type SalesforceOperation,
  type ScopeProfileName,
} from '../../salesforce/scope-profiles';
import { type FieldMetadata, isRequiredOnCreate, type MetadataCatalog } from './field-metadata';
import {
  CHATTER,
  DEFAULT_DUPLICATE_POLICY,
  DEFAULT_EXTERNAL_ID_FIELD,
  defaultMode,
  type IntentMapDefinition,
  type IntentMapDraft,
  type ParsedTarget,
  parseTargets,
  splitTargetField,
} from './intent-map-definition';
import { impliedDefault } from './implied-value';
import { objectsWritten, planSuppliedFields } from './written-objects';
import { isCompatible, literalValueTypes, naturalValueType, type ValueType } from './type-compatibility';
import { expressionValueTypes } from './value-expression';

/** The problem codes of a map that parses but cannot be written in this org (api.md). */
export type MappingProblemCode =
  | 'FIELD_NOT_FOUND'
  | 'OBJECT_NOT_FOUND'
  | 'TYPE_INCOMPATIBLE'
  | 'NOT_WRITABLE'
  | 'PICKLIST_VALUE_INVALID'
  | 'SCOPE_INSUFFICIENT'
  | 'METADATA_MISSING'
  | 'EXTERNAL_ID_MISSING'
  | 'REQUIRED_FIELD_MISSING';

export interface MappingProblem extends Problem {
  code: MappingProblemCode;
  intent: string;
  /** The target (`Object.Field`) or object the problem is about. */
  target?: string;
}

export interface ValidationContext {
  catalog: MetadataCatalog;
  /** The connection's scope profile; null when the tenant has no connection. */
  profile: ScopeProfileName | null;
}

export interface ValidationResult {
  /** The draft completed (mode, type hint, canonical names); only meaningful when `problems` is empty. */
  definition: IntentMapDefinition;
  problems: MappingProblem[];
}

/**
 * Everything that would go wrong during a call, found at save time: one problem per bad target, then one per
 * object the plan writes that lacks what the plan needs (metadata, an external-ID key, a required field).
 * Pure: metadata and the connection's profile come in, nothing is looked up.
 */
export function validateIntentMap(
  intent: string,
  given: IntentMapDraft,
  context: ValidationContext,
): ValidationResult {
  const { catalog } = context;
  const draft = given.impliedValue ? withImpliedDefaults(intent, given, catalog) : given;
  const targets = parseTargets(draft);
  const externalIdField = draft.externalIdField ?? DEFAULT_EXTERNAL_ID_FIELD;
  const problems: MappingProblem[] = [];
  const inferred = inferValueType(draft, targets, catalog);
  const valueType = inferred ?? 'none';

  const canonicalTargets = draft.targets.map((target, index) => {
    const parsed = targets[index];
    const spot = `${intent}.targets[${index}]`;
    const problem =
      parsed.object === CHATTER
        ? checkChatterTarget(parsed, valueType, context)
        : checkSObjectTarget(parsed, valueType, externalIdField, context);
    const defaultProblem = problem ?? checkDefaultAgainstField(parsed, valueType, catalog);
    if (!problem && defaultProblem) {
      problems.push({ ...defaultProblem, field: `${spot}.default`, intent, target: target.field });
    }
    if (problem) problems.push({ ...problem, field: spot, intent, target: target.field });
    if (
      !problem &&
      inferred === null &&
      parsed.expression.kind === 'value' &&
      draft.valueType === undefined
    ) {
      problems.push({
        field: spot,
        code: 'TYPE_INCOMPATIBLE',
        intent,
        target: target.field,
        message: `no type hint fits ${target.field}; give a valueType`,
      });
    }
    const object = catalog.object(parsed.object);
    const field = catalog.field(parsed.object, parsed.field);
    const canonical =
      parsed.object === CHATTER
        ? target.field
        : `${object?.name ?? parsed.object}.${field?.name ?? parsed.field}`;
    return target.default === undefined
      ? { field: canonical, value: target.value }
      : { field: canonical, value: target.value, default: target.default };
  });

  const badObjects = new Set(problems.map((problem) => problem.target?.split('.')[0].toLowerCase()));
  for (const object of objectsWritten(targets.map((target) => canonicalObjectName(target.object, catalog)))) {
    if (badObjects.has(object.toLowerCase())) continue;
    const problem = checkWrittenObject(object, targets, externalIdField, catalog);
    if (problem) problems.push({ ...problem, field: intent, intent, target: object });
  }

  return {
    definition: {
      mode: draft.mode ?? defaultMode(draft.targets),
      valueType,
      targets: canonicalTargets,
      routing: draft.routing,
      externalIdField,
      duplicates: draft.duplicates ?? DEFAULT_DUPLICATE_POLICY,
    },
    problems,
  };
}

type Found = Omit<MappingProblem, 'intent' | 'field' | 'target'>;

/** A short form's target gets the default its field implies (a datetime `$now`, …); unknown fields get none. */
function withImpliedDefaults(
  intent: string,
  draft: IntentMapDraft,
  catalog: MetadataCatalog,
): IntentMapDraft {
  const targets = draft.targets.map((target) => {
    const split = splitTargetField(target.field);
    const field = split && split.object !== CHATTER ? catalog.field(split.object, split.field) : undefined;
    const implied = field && impliedDefault(intent, field);
    return implied === undefined ? target : { ...target, default: implied };
  });
  return { ...draft, targets, impliedValue: false };
}

/** A target's default is written as is: it must fit the field like a constant or an expression would. */
function checkDefaultAgainstField(
  target: ParsedTarget,
  valueType: ValueType,
  catalog: MetadataCatalog,
): Found | null {
  if (!target.fallback) return null;
  const field = catalog.field(target.object, target.field);
  if (target.object === CHATTER || !field) return null;
  return checkValueAgainstField(
    { ...target, expression: target.fallback },
    valueType,
    field,
    `${target.object}.${field.name}`,
  );
}

function canonicalObjectName(object: string, catalog: MetadataCatalog): string {
  return catalog.object(object)?.name ?? object;
}

/** The hint given, else the natural hint of the first `$value` target; null when that field has none. */
function inferValueType(
  draft: IntentMapDraft,
  targets: ParsedTarget[],
  catalog: MetadataCatalog,
): ValueType | null {
  if (draft.valueType) return draft.valueType;
  const first = targets.find((target) => target.expression.kind === 'value');
  if (!first) return 'none';
  if (first.object === CHATTER) return 'text';
  const field = catalog.field(first.object, first.field);
  return field ? naturalValueType(field) : 'none';
}

function scopeProblem(
  operation: SalesforceOperation,
  what: string,
  context: ValidationContext,
): Found | null {
  const needed = requiredProfileFor(operation);
  if (context.profile === null) {
    return {
      code: 'SCOPE_INSUFFICIENT',
      message: `${what} needs a Salesforce connection with the ${needed} profile; the tenant has no connection`,
    };
  }
  if (!profileAllows(context.profile, operation)) {
    return {
      code: 'SCOPE_INSUFFICIENT',
      message: `${what} needs the ${needed} profile; the connection has ${context.profile}`,
    };
  }
  return null;
}

function checkChatterTarget(
  target: ParsedTarget,
  valueType: ValueType,
  context: ValidationContext,
): Found | null {
  const scope = scopeProblem('chatter-post', `Posting to Chatter (${CHATTER}.${target.field})`, context);
  if (scope) return scope;
  const types = expressionValueTypes(target.expression, valueType);
  const textual = (type: ValueType) => type === 'string' || type === 'text';
  const fits =
    types === 'any' ||
    (target.expression.kind === 'literal'
      ? typeof target.expression.value === 'string'
      : types.some(textual));
  return fits ? null : { code: 'TYPE_INCOMPATIBLE', message: `A Chatter post needs a text value` };
}

function checkSObjectTarget(
  target: ParsedTarget,
  valueType: ValueType,
  externalIdField: string,
  context: ValidationContext,
): Found | null {
  const { catalog } = context;
  const object = catalog.object(target.object);
  const name = `${target.object}.${target.field}`;
  if (!object) {
    return {
      code: 'METADATA_MISSING',
      message: `No metadata for ${target.object}: run POST /v1/metadata/refresh with it first`,
    };
  }
  if (!object.found) return { code: 'OBJECT_NOT_FOUND', message: `The org has no object ${target.object}` };
  const field = catalog.field(target.object, target.field);
  if (!field) return { code: 'FIELD_NOT_FOUND', message: `${object.name} has no field ${target.field}` };
  const canonical = `${object.name}.${field.name}`;
  const scope = scopeProblem('sobject-write', `Writing ${canonical}`, context);
  if (scope) return scope;
  if (field.name.toLowerCase() === externalIdField.toLowerCase()) {
    return { code: 'NOT_WRITABLE', message: `${canonical} is the external-ID key the connector upserts on` };
  }
  if (!field.createable || !field.updateable) {
    const missing = [!field.createable && 'createable', !field.updateable && 'updateable'].filter(Boolean);
    return {
      code: 'NOT_WRITABLE',
      message: `${canonical} is not ${missing.join(' or ')} (the connector upserts, so it must be both)`,
    };
  }
  return checkValueAgainstField(target, valueType, field, name === canonical ? name : canonical);
}

function checkValueAgainstField(
  target: ParsedTarget,
  valueType: ValueType,
  field: FieldMetadata,
  name: string,
): Found | null {
  const { expression } = target;
  if (expression.kind === 'literal') {
    const literal = expression.value;
    if (literal === null) {
      return field.nillable ? null : { code: 'TYPE_INCOMPATIBLE', message: `${name} cannot be empty (null)` };
    }
    if (!literalValueTypes(literal).some((type) => isCompatible(type, field))) {
      return {
        code: 'TYPE_INCOMPATIBLE',
        message: `${JSON.stringify(literal)} does not fit ${name} (${describeType(field)})`,
      };
    }
    if (typeof literal === 'string' && field.length && literal.length > field.length) {
      return { code: 'TYPE_INCOMPATIBLE', message: `${name} holds at most ${field.length} characters` };
    }
    return checkPicklistLiteral(literal, field, name);
  }
  const types = expressionValueTypes(expression, valueType);
  if (types === 'any') return null;
  if (!types.some((type) => isCompatible(type, field))) {
    const source =
      expression.kind === 'value' ? `the type hint "${valueType}"` : `a ${types.join('/')} value`;
    return {
      code: 'TYPE_INCOMPATIBLE',
      message: `${name} (${describeType(field)}) cannot take ${source}`,
    };
  }
  return null;
}

function checkPicklistLiteral(
  literal: string | number | boolean | string[],
  field: FieldMetadata,
  name: string,
) {
  const restricted =
    field.restrictedPicklist && (field.type === 'picklist' || field.type === 'multipicklist');
  if (!restricted) return null;
  const values = Array.isArray(literal)
    ? literal
    : field.type === 'multipicklist'
      ? String(literal).split(';')
      : [String(literal)];
  const bad = values.filter((value) => !field.picklistValues.includes(value));
  if (bad.length === 0) return null;
  return {
    code: 'PICKLIST_VALUE_INVALID' as const,
    message: `${bad.map((value) => JSON.stringify(value)).join(', ')} is not a value of the restricted picklist ${name} (${field.picklistValues.join(', ')})`,
  };
}

function describeType(field: FieldMetadata): string {
  if (field.type === 'picklist' && field.restrictedPicklist) return 'restricted picklist';
  return field.length && ['string', 'textarea', 'encryptedstring'].includes(field.type)
    ? `${field.type}(${field.length})`
    : field.type;
}

/** What the plan needs of each object it upserts: metadata, the external-ID key, and every required field. */
function checkWrittenObject(
  objectName: string,
  targets: ParsedTarget[],
  externalIdField: string,
  catalog: MetadataCatalog,
): Found | null {
  const object = catalog.object(objectName);
  if (!object) {
    return {
      code: 'METADATA_MISSING',
      message: `This map also writes ${objectName}, whose metadata is not loaded: run POST /v1/metadata/refresh`,
    };
  }
  if (!object.found) return { code: 'OBJECT_NOT_FOUND', message: `The org has no object ${objectName}` };
  const key = catalog.field(objectName, externalIdField);
  if (!key || !key.externalId) {
    return {
      code: 'EXTERNAL_ID_MISSING',
      message: `${object.name} needs an external-ID field ${externalIdField} so that a retried write cannot duplicate it`,
    };
  }
  const targeted = new Set(
    targets
      .filter((t) => t.object.toLowerCase() === objectName.toLowerCase())
      .map((t) => t.field.toLowerCase()),
  );
  const supplied = new Set(planSuppliedFields(object.name).map((name) => name.toLowerCase()));
  const written = new Set(objectsWritten(targets.map((t) => t.object)).map((name) => name.toLowerCase()));
  const missing = object.fields.filter(
    (field) =>
      isRequiredOnCreate(field) &&
      field.name.toLowerCase() !== externalIdField.toLowerCase() &&
      !targeted.has(field.name.toLowerCase()) &&
      !supplied.has(field.name.toLowerCase()) &&
      !(field.type === 'reference' && field.referenceTo.some((to) => written.has(to.toLowerCase()))),
  );
  if (missing.length === 0) return null;
  return {
    code: 'REQUIRED_FIELD_MISSING',
    message: `Creating ${object.name} needs ${missing.map((field) => field.name).join(', ')}: add targets for them`,
  };
}
