import {
  categoryOf,
  compareKeys,
  Key,
  keyOf,
  Operand,
  operandOf,
  textOf,
  ValueCategory,
} from './field-values';
import { QuerySource } from './query-source';
import {
  QueryFieldInfo,
  QueryObjectInfo,
  QuerySchema,
  SalesforceQueryError,
  StoredRecord,
} from './query-schema';
import { ComparisonOperator, Condition, FieldPath, Literal, OrderItem, Selection } from './soql-ast';
import { parseSoql } from './soql-parser';

export type OutputRecord = Record<string, unknown>;

/** A Selection checked against the schema and turned into functions over stored records. */
export interface CompiledSelection {
  /** The object's name as the describe spells it. */
  objectName: string;
  /** Applies WHERE, ORDER BY, OFFSET and LIMIT to candidate rows. */
  select: (rows: readonly StoredRecord[]) => StoredRecord[];
  /** The REST shape of one row: `attributes`, then the selected fields in SELECT order. */
  render: (row: StoredRecord) => OutputRecord;
}

/** Runs a SOQL statement; returns every matching row (the server pages them into batches). */
export function executeSoql(
  soql: string,
  schema: QuerySchema,
): { totalSize: number; records: OutputRecord[] } {
  const query = parseSoql(soql);
  const compiled = compileSelection(query, schema, new QuerySource(soql, 'soql'));
  const rows = compiled.select(schema.records(compiled.objectName));
  return { totalSize: rows.length, records: query.countOnly ? [] : rows.map(compiled.render) };
}

/** Resolves every name in a Selection (errors in Salesforce's order: object, columns, filter, ordering). */
export function compileSelection(
  selection: Selection,
  schema: QuerySchema,
  source: QuerySource,
): CompiledSelection {
  const info = schema.describe(selection.object.name);
  if (!info) throw source.unknownObject(selection.object.offset, selection.object.name);
  const context: CompileContext = { schema, source, root: indexOf(info), now: new Date() };
  const projection = buildProjection(selection.fields, context);
  const matches = selection.where ? compileCondition(selection.where, context) : undefined;
  const sort = selection.orderBy.length > 0 ? compileOrdering(selection.orderBy, context) : undefined;
  const start = selection.offset ?? 0;
  const end = selection.limit === undefined ? undefined : start + selection.limit;
  return {
    objectName: info.name,
    select: (rows) => {
      const filtered = matches ? rows.filter(matches) : [...rows];
      return (sort ? sort(filtered) : filtered).slice(start, end);
    },
    render: (row) => renderRecord(info.name, info.name, row, projection, schema),
  };
}

interface CompileContext {
  schema: QuerySchema;
  source: QuerySource;
  root: ObjectIndex;
  /** One clock reading per query, so TODAY means the same day for every row. */
  now: Date;
}

// ---------------------------------------------------------------------------------------------------------
// Name resolution

/** Case-insensitive lookups over one describe, built once per describe object. */
interface ObjectIndex {
  info: QueryObjectInfo;
  fieldsByName: Map<string, QueryFieldInfo>;
  referencesByRelationship: Map<string, QueryFieldInfo>;
}

const objectIndexes = new WeakMap<QueryObjectInfo, ObjectIndex>();

function indexOf(info: QueryObjectInfo): ObjectIndex {
  let index = objectIndexes.get(info);
  if (!index) {
    index = { info, fieldsByName: new Map(), referencesByRelationship: new Map() };
    for (const field of info.fields) {
      index.fieldsByName.set(field.name.toLowerCase(), field);
      if (field.relationshipName)
        index.referencesByRelationship.set(field.relationshipName.toLowerCase(), field);
    }
    objectIndexes.set(info, index);
  }
  return index;
}

/** One step from a record to its parent through a reference field (`AccountId` → `Account`). */
interface RelationshipHop {
  reference: QueryFieldInfo;
  relationshipName: string;
  /** Lower-cased names of the objects the reference may point at. */
  targets: Set<string>;
  /** Several possible targets (`What`, `Owner`): Salesforce types the nested record as `Name`. */
  polymorphic: boolean;
}

interface ResolvedPath {
  hops: RelationshipHop[];
  field: QueryFieldInfo;
  read(record: StoredRecord): unknown;
}

function resolvePath(path: FieldPath, context: CompileContext): ResolvedPath {
  const names = withoutObjectQualifier(path.names, context.root);
  let candidates = [context.root];
  const hops: RelationshipHop[] = [];
  for (const relationship of names.slice(0, -1)) {
    const reference = findInAny(candidates, (index) => index.referencesByRelationship, relationship);
    const targets = (reference?.referenceTo ?? []).flatMap((name) => describedIndex(context.schema, name));
    if (!reference || targets.length === 0)
      throw context.source.unknownRelationship(path.offset, relationship);
    hops.push({
      reference,
      relationshipName: reference.relationshipName ?? relationship,
      targets: new Set(targets.map((target) => target.info.name.toLowerCase())),
      polymorphic: targets.length > 1,
    });
    candidates = targets;
  }
  const fieldName = names[names.length - 1];
  const field = findInAny(candidates, (index) => index.fieldsByName, fieldName);
  if (!field) throw context.source.unknownColumn(path.offset, fieldName, candidates[0].info.name);
  return { hops, field, read: (record) => readThrough(record, hops, field, context.schema) };
}

/** `SELECT Contact.Name FROM Contact` is legal: a leading object name qualifies the path. */
function withoutObjectQualifier(names: string[], root: ObjectIndex): string[] {
  const first = names[0].toLowerCase();
  const qualified =
    names.length > 1 && first === root.info.name.toLowerCase() && !root.referencesByRelationship.has(first);
  return qualified ? names.slice(1) : names;
}

function findInAny(
  indexes: ObjectIndex[],
  lookup: (index: ObjectIndex) => Map<string, QueryFieldInfo>,
  name: string,
): QueryFieldInfo | undefined {
  const key = name.toLowerCase();
  for (const index of indexes) {
    const found = lookup(index).get(key);
    if (found) return found;
  }
  return undefined;
}

function describedIndex(schema: QuerySchema, objectName: string): ObjectIndex[] {
  const info = schema.describe(objectName);
  return info ? [indexOf(info)] : [];
}

function followHop(
  record: StoredRecord,
  hop: RelationshipHop,
  schema: QuerySchema,
): { objectName: string; record: StoredRecord } | undefined {
  const id = record[hop.reference.name];
  if (typeof id !== 'string' || id === '') return undefined;
  const parent = schema.findById(id);
  return parent && hop.targets.has(parent.objectName.toLowerCase()) ? parent : undefined;
}

/** A missing parent reads as null, which is what `WHERE Account.Name = null` matches (API v13+). */
function readThrough(
  record: StoredRecord,
  hops: RelationshipHop[],
  field: QueryFieldInfo,
  schema: QuerySchema,
): unknown {
  let current = record;
  for (const hop of hops) {
    const parent = followHop(current, hop, schema);
    if (!parent) return null;
    current = parent.record;
  }
  return current[field.name] ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// WHERE

type Predicate = (record: StoredRecord) => boolean;

/** Null semantics follow SOQL, not SQL: `!=` and `NOT IN` match empty values, ordering operators never do. */
function compileCondition(condition: Condition, context: CompileContext): Predicate {
  switch (condition.kind) {
    case 'and': {
      const operands = condition.operands.map((operand) => compileCondition(operand, context));
      return (record) => operands.every((operand) => operand(record));
    }
    case 'or': {
      const operands = condition.operands.map((operand) => compileCondition(operand, context));
      return (record) => operands.some((operand) => operand(record));
    }
    case 'not': {
      const operand = compileCondition(condition.operand, context);
      return (record) => !operand(record);
    }
    case 'compare':
      return compileComparison(condition.field, condition.operator, condition.value, context);
    case 'in':
      return compileMembership(condition.field, condition.negated, condition.values, context);
    case 'like': {
      const path = resolvePath(condition.field, context);
      const { pattern } = condition;
      return (record) => {
        const text = textOf(path.read(record));
        return text !== null && pattern.test(text);
      };
    }
  }
}

/** Reads a path as a comparison key of its field's category. */
function keyReader(
  path: FieldPath,
  context: CompileContext,
): [ValueCategory, (record: StoredRecord) => Key | null] {
  const resolved = resolvePath(path, context);
  const category = categoryOf(resolved.field.type);
  return [category, (record) => keyOf(category, resolved.read(record))];
}

function compileComparison(
  path: FieldPath,
  operator: ComparisonOperator,
  literal: Literal,
  context: CompileContext,
): Predicate {
  const [category, readKey] = keyReader(path, context);
  const operand = operandOf(category, literal, context.now);
  if (operand.kind === 'point' && operand.key === null) {
    if (operator === '=') return (record) => readKey(record) === null;
    if (operator === '!=') return (record) => readKey(record) !== null;
    return () => false;
  }
  return (record) => {
    const key = readKey(record);
    return key === null ? operator === '!=' : satisfies(key, operator, operand);
  };
}

function satisfies(key: Key, operator: ComparisonOperator, operand: Operand): boolean {
  if (operand.kind === 'range') return withinRange(key, operator, operand.start, operand.end);
  const order = operand.key === null ? NaN : compareKeys(key, operand.key);
  switch (operator) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/** A relative date literal names a span: `= TODAY` means inside it, `> TODAY` after it, `< TODAY` before it. */
function withinRange(key: Key, operator: ComparisonOperator, start: Key, end: Key): boolean {
  switch (operator) {
    case '=':
      return key >= start && key < end;
    case '!=':
      return key < start || key >= end;
    case '<':
      return key < start;
    case '<=':
      return key < end;
    case '>':
      return key >= end;
    case '>=':
      return key >= start;
  }
}

function compileMembership(
  path: FieldPath,
  negated: boolean,
  values: Literal[],
  context: CompileContext,
): Predicate {
  const [category, readKey] = keyReader(path, context);
  const operands = values.map((value) => operandOf(category, value, context.now));
  const pointKeys = new Set(operands.flatMap((operand) => (operand.kind === 'point' ? [operand.key] : [])));
  const ranges = operands.filter((operand) => operand.kind === 'range');
  const isMember = (key: Key | null) =>
    pointKeys.has(key) || (key !== null && ranges.some((range) => satisfies(key, '=', range)));
  return (record) => isMember(readKey(record)) !== negated;
}

// ---------------------------------------------------------------------------------------------------------
// ORDER BY

function compileOrdering(
  items: OrderItem[],
  context: CompileContext,
): (rows: StoredRecord[]) => StoredRecord[] {
  const columns = items.map((item) => ({ item, readKey: keyReader(item.field, context)[1] }));
  return (rows) => {
    // Read each sort key once per row, then sort (Array#sort is stable, so ties keep insertion order).
    const decorated = rows.map((row) => ({ row, keys: columns.map((column) => column.readKey(row)) }));
    decorated.sort((left, right) => {
      for (let i = 0; i < columns.length; i++) {
        const order = compareNullable(left.keys[i], right.keys[i], columns[i].item);
        if (order !== 0) return order;
      }
      return 0;
    });
    return decorated.map((entry) => entry.row);
  };
}

function compareNullable(left: Key | null, right: Key | null, item: OrderItem): number {
  if (left === null || right === null) {
    if (left === right) return 0;
    return (left === null) === item.nullsLast ? 1 : -1;
  }
  const order = compareKeys(left, right);
  return item.descending ? -order : order;
}

// ---------------------------------------------------------------------------------------------------------
// SELECT list and output

/** The selected columns as a tree: parent relationships become nested records in the output. */
type ProjectionNode =
  | { kind: 'field'; key: string; field: QueryFieldInfo }
  | { kind: 'parent'; key: string; hop: RelationshipHop; children: ProjectionNode[] };

function buildProjection(fields: FieldPath[], context: CompileContext): ProjectionNode[] {
  const root: ProjectionNode[] = [];
  for (const path of fields) {
    const resolved = resolvePath(path, context);
    let level = root;
    for (const hop of resolved.hops) level = parentNode(level, hop).children;
    if (level.some((node) => node.kind === 'field' && node.field === resolved.field)) {
      throw new SalesforceQueryError('INVALID_FIELD', `duplicate field selected: ${path.names.join('.')}`);
    }
    level.push({ kind: 'field', key: resolved.field.name, field: resolved.field });
  }
  return root;
}

function parentNode(level: ProjectionNode[], hop: RelationshipHop): { children: ProjectionNode[] } {
  const existing = level.find((node) => node.kind === 'parent' && node.hop.reference === hop.reference);
  if (existing?.kind === 'parent') return existing;
  const created: ProjectionNode = { kind: 'parent', key: hop.relationshipName, hop, children: [] };
  level.push(created);
  return created;
}

function renderRecord(
  type: string,
  objectName: string,
  record: StoredRecord,
  projection: ProjectionNode[],
  schema: QuerySchema,
): OutputRecord {
  const output: OutputRecord = { attributes: { type, url: recordUrl(schema, objectName, record) } };
  for (const node of projection) {
    if (node.kind === 'field') {
      output[node.key] = record[node.field.name] ?? null;
      continue;
    }
    const parent = followHop(record, node.hop, schema);
    const parentType = node.hop.polymorphic ? 'Name' : (parent?.objectName ?? '');
    output[node.key] = parent
      ? renderRecord(parentType, parent.objectName, parent.record, node.children, schema)
      : null;
  }
  return output;
}

export function recordUrl(schema: QuerySchema, objectName: string, record: StoredRecord): string {
  const id = record.Id;
  return `/services/data/v${schema.apiVersion}/sobjects/${objectName}/${typeof id === 'string' ? id : ''}`;
}
