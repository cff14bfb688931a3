import type { Problem } from '../../../common/errors/domain-error';
import type { FieldMetadata, MetadataCatalog } from '../rules/field-metadata';
import {
  CHATTER,
  DEFAULT_DUPLICATE_POLICY,
  type DuplicatePolicy,
  type ParsedTarget,
  parseTargets,
} from '../rules/intent-map-definition';
import { type CreateContext, cutToLength, TASK } from '../rules/sobject-rules';
import { createDefaultValues, objectsWritten, ruleOf, taskReferenceObjects } from '../rules/written-objects';
import { type AgentValue, agentValueOf } from '../rules/implied-value';
import { valueMatchesType } from '../rules/type-compatibility';
import {
  formatValueExpression,
  resolveValueExpression,
  type ResolvedValue,
  type ValueScope,
} from '../rules/value-expression';
import type {
  CompositeSubrequest,
  IntentMapVersionRef,
  PlannedOperation,
  PlannedRecordWrite,
  RecordRef,
  SalesforceRequest,
  WritePlan,
  WritePlanInput,
} from './write-plan';

/** Lets a save through the org's duplicate rules (salesforce-rest.md §7), for maps whose policy is `allow`. */
const ALLOW_DUPLICATE_SAVE = { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' };

/** The external-ID key of every record one call writes: a retried write finds the record its first try made. */
export function callExternalId(tenantId: string, callId: string): string {
  return `${tenantId}:${callId}`;
}

/**
 * THE write plan: which requests one intent of one call sends, built from the intent map version, the org's
 * field metadata and what the call knows. Pure and deterministic: simulations and the real write path call it
 * with the same inputs and get the same requests.
 *
 * - Account, Contact, Opportunity, Lead and custom-object targets go into ONE `/composite` (allOrNone), parents
 *   first, each upserted on the map's external-ID field with the key `tenantId:callId` (or updated by id when
 *   the call already knows the record), children referring to parents as `@{refAccount.id}`.
 * - A Lead is written only for a caller with no known Contact. Account and Lead subrequests carry
 *   `Sforce-Auto-Assign` TRUE when the map asks for routing, FALSE otherwise; `allow` maps also carry
 *   `Sforce-Duplicate-Rule-Header: allowSave=true`.
 * - Task targets become a queued composite (the call's Task, upserted on the same key); Chatter targets queued
 *   posts. Critical maps send the first composite in-call; deferred maps queue it too.
 */
export function buildWritePlan(
  mapVersion: IntentMapVersionRef,
  catalog: MetadataCatalog,
  input: WritePlanInput,
): WritePlan {
  const { definition } = mapVersion;
  const problems: Problem[] = [];
  const notes: string[] = [];
  checkAgentValue(agentValueOf(definition, catalog), input.value, problems, notes);

  const scope: ValueScope = {
    now: input.now,
    value: input.value,
    payload: input.payload,
    call: { id: input.callId, ...input.call },
    caller: input.caller,
  };
  const records = input.records ?? {};
  const callerIsContact = records.Contact !== undefined;
  const fieldsByObject = new Map<string, Record<string, unknown>>();
  const chatter: Array<{ subject: string; text: unknown }> = [];

  for (const target of parseTargets(definition)) {
    const resolved = resolveTarget(target, scope);
    if (!resolved.found) {
      if (target.expression.kind !== 'value') {
        notes.push(
          `${target.object}.${target.field} left out: ${formatSource(target)} has no value in this call`,
        );
      }
      continue;
    }
    if (target.object === CHATTER) {
      chatter.push({ subject: target.field, text: resolved.value });
      continue;
    }
    if (ruleOf(target.object).onlyForUnknownCaller && callerIsContact) {
      notes.push(`${target.object}.${target.field} left out: the caller is a known Contact`);
      continue;
    }
    const field = catalog.field(target.object, target.field);
    const fields = fieldsByObject.get(target.object) ?? {};
    fields[field?.name ?? target.field] = toFieldValue(resolved.value, field, notes, target);
    fieldsByObject.set(target.object, fields);
  }

  const plan: WritePlan = {
    intent: mapVersion.intent,
    mapVersionId: mapVersion.id,
    mapVersion: mapVersion.version,
    mode: definition.mode,
    operations: [],
    problems,
    notes,
  };
  const builder = new RequestBuilder(catalog, input, definition.externalIdField);
  const sObjects = objectsWritten(fieldsByObject.keys()).filter((object) => object !== TASK);
  const duplicates = definition.duplicates ?? DEFAULT_DUPLICATE_POLICY;
  const composite = builder.primaryComposite(sObjects, fieldsByObject, definition.routing, duplicates);
  if (composite) {
    const dispatch = definition.mode === 'critical' ? 'in-call' : 'queued';
    plan.operations.push({ ...composite, dispatch, duplicates });
  }
  const taskFields = fieldsByObject.get(TASK);
  if (taskFields) plan.operations.push(builder.taskComposite(taskFields, sObjects));
  for (const post of chatter) {
    const operation = builder.chatterPost(post.subject, post.text, sObjects);
    if (operation) plan.operations.push(operation);
    else notes.push(`Chatter post on ${post.subject} left out: this call has no ${post.subject}`);
  }
  return plan;
}

/** The agent's value, or the target's default when the agent sent none. */
function resolveTarget(target: ParsedTarget, scope: ValueScope): ResolvedValue {
  const resolved = resolveValueExpression(target.expression, scope);
  if (resolved.found || !target.fallback) return resolved;
  return resolveValueExpression(target.fallback, scope);
}

/** A missing or unfit value is refused before anything is sent, naming what would have been accepted. */
function checkAgentValue(expected: AgentValue | null, value: unknown, problems: Problem[], notes: string[]) {
  if (!expected) {
    if (value !== undefined) notes.push('the value sent was ignored: this intent takes none');
    return;
  }
  const allowed = expected.allowedValues
    ? ` (one of: ${expected.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`
    : '';
  const problem = (code: string, message: string) =>
    problems.push({ field: 'value', code, message: `${message}${allowed}` });
  if (value === undefined) {
    if (expected.required) problem('VALUE_MISSING', `this intent needs a ${expected.type} value`);
  } else if (!valueMatchesType(expected.type, value)) {
    problem('VALUE_TYPE_INVALID', `the value must be a ${expected.type}`);
  } else if (expected.allowedValues && !expected.allowedValues.includes(value as string)) {
    problem('VALUE_NOT_ALLOWED', `${JSON.stringify(value)} is not a value of this picklist`);
  }
}

function formatSource(target: ParsedTarget): string {
  return String(formatValueExpression(target.expression));
}

const TEXT_TYPES = ['string', 'textarea', 'encryptedstring', 'combobox', 'phone', 'email', 'url'];

/** Salesforce's wire form: multi-select values joined by `;`, texts cut to the field's length (with a note). */
function toFieldValue(
  value: unknown,
  field: FieldMetadata | undefined,
  notes: string[],
  target: ParsedTarget,
) {
  if (field?.type === 'multipicklist' && Array.isArray(value)) return value.join(';');
  if (
    field &&
    typeof value === 'string' &&
    TEXT_TYPES.includes(field.type) &&
    field.length &&
    value.length > field.length
  ) {
    notes.push(`${target.object}.${target.field} cut to its ${field.length} characters`);
    return cutToLength(value, field.length);
  }
  return value;
}

function subrequestHeaders(
  object: string,
  routing: boolean,
  duplicates: DuplicatePolicy,
): Record<string, string> | undefined {
  // `Sforce-Auto-Assign` is TRUE when absent (salesforce-rest.md §7): the plan always says it, FALSE unless the
  // map asks for routing, so an org's rules never move an owner behind the map's back.
  const headers: Record<string, string> = {
    ...(ruleOf(object).autoAssigned && { 'Sforce-Auto-Assign': routing ? 'TRUE' : 'FALSE' }),
    ...(duplicates === 'allow' && ALLOW_DUPLICATE_SAVE),
  };
  return Object.keys(headers).length > 0 ? headers : undefined;
}

const referenceIdOf = (object: string) => `ref${object.replace(/[^A-Za-z0-9_]/g, '')}`;

class RequestBuilder {
  private readonly base: string;
  private readonly externalId: string;

  constructor(
    private readonly catalog: MetadataCatalog,
    private readonly input: WritePlanInput,
    private readonly externalIdField: string,
  ) {
    this.base = `/services/data/v${input.apiVersion}`;
    this.externalId = callExternalId(input.tenantId, input.callId);
  }

  private get records() {
    return this.input.records ?? {};
  }

  private createContext(): CreateContext {
    const { caller, callId, now } = this.input;
    return { caller, callId, now, catalog: this.catalog };
  }

  private has(object: string, field: string): boolean {
    const meta = this.catalog.field(object, field);
    return meta !== undefined && meta.createable;
  }

  private keyPath(object: string): string {
    return `${this.base}/sobjects/${object}/${this.externalIdField}/${encodeURIComponent(this.externalId)}`;
  }

  primaryComposite(
    objects: string[],
    fieldsByObject: Map<string, Record<string, unknown>>,
    routing: boolean,
    duplicates: DuplicatePolicy,
  ): Omit<Extract<PlannedOperation, { kind: 'composite' }>, 'dispatch'> | null {
    const subrequests: CompositeSubrequest[] = [];
    const writes: PlannedRecordWrite[] = [];
    /** How later subrequests refer to each record: a known id, or the reference of its subrequest. */
    const refs = new Map<string, string>();
    for (const [object, id] of Object.entries(this.records)) if (id) refs.set(object, id);

    for (const object of objects) {
      const targeted = fieldsByObject.get(object) ?? {};
      const referenceId = referenceIdOf(object);
      const headers = subrequestHeaders(object, routing, duplicates);
      const knownId = this.records[object];
      if (knownId) {
        if (Object.keys(targeted).length === 0) continue;
        subrequests.push({
          method: 'PATCH',
          url: `${this.base}/sobjects/${object}/${knownId}`,
          referenceId,
          body: { ...targeted },
          ...(headers && { httpHeaders: headers }),
        });
        writes.push({ object, referenceId, how: 'update', id: knownId });
        continue;
      }
      const body = { ...this.createDefaults(object, refs), ...targeted };
      subrequests.push({
        method: 'PATCH',
        url: this.keyPath(object),
        referenceId,
        body,
        ...(headers && { httpHeaders: headers }),
      });
      writes.push({
        object,
        referenceId,
        how: 'upsert',
        externalIdField: this.externalIdField,
        externalId: this.externalId,
        targetedFields: Object.keys(targeted),
      });
      refs.set(object, `@{${referenceId}.id}`);
    }
    if (subrequests.length === 0) return null;
    return { kind: 'composite', records: writes, request: this.compositeRequest(subrequests) };
  }

  private compositeRequest(compositeRequest: CompositeSubrequest[]) {
    return {
      method: 'POST' as const,
      url: `${this.base}/composite`,
      body: { allOrNone: true as const, collateSubrequests: false as const, compositeRequest },
    };
  }

  /** What a new record gets besides its targets: its rule's create defaults, and parent references. */
  private createDefaults(object: string, refs: Map<string, string>): Record<string, unknown> {
    const values = createDefaultValues(object, this.createContext());
    // Parent references: standard lookups of the chain, and custom lookups to any record this call has.
    for (const field of this.catalog.object(object)?.fields ?? []) {
      if (field.type !== 'reference' || !field.createable || values[field.name] !== undefined) continue;
      const parent = field.referenceTo.find((to) => refs.has(to));
      if (parent && field.referenceTo.length === 1) values[field.name] = refs.get(parent);
    }
    return values;
  }

  /** A record of this call as a Task or a post may refer to it: a known id, or a GET by the call's key. */
  private refFor(object: string, written: string[]): RecordRef | null {
    const id = this.records[object];
    if (id) return { object, id };
    if (written.includes(object)) {
      return { object, externalIdField: this.externalIdField, externalId: this.externalId };
    }
    return null;
  }

  private firstRef(objects: string[], written: string[]): RecordRef | null {
    for (const object of objects) {
      const ref = this.refFor(object, written);
      if (ref) return ref;
    }
    return null;
  }

  private lookup(ref: RecordRef, referenceId: string): { subrequest?: CompositeSubrequest; value: string } {
    if ('id' in ref) return { value: ref.id };
    return {
      subrequest: {
        method: 'GET',
        url: `${this.keyPath(ref.object)}?fields=Id`,
        referenceId,
      },
      value: `@{${referenceId}.Id}`,
    };
  }

  /** The call's Task, upserted on the call's key; Who is the Contact or Lead, What the Opportunity or Account. */
  taskComposite(
    fields: Record<string, unknown>,
    written: string[],
  ): Extract<PlannedOperation, { kind: 'composite' }> {
    const subrequests: CompositeSubrequest[] = [];
    const body = createDefaultValues(TASK, this.createContext());
    const who = this.firstRef(taskReferenceObjects('WhoId'), written);
    const what =
      who && ruleOf(who.object).taskRole?.alone
        ? null
        : this.firstRef(taskReferenceObjects('WhatId'), written);
    for (const [field, ref, referenceId] of [
      ['WhoId', who, 'refWho'],
      ['WhatId', what, 'refWhat'],
    ] as const) {
      if (!ref || fields[field] !== undefined || !this.has(TASK, field)) continue;
      const { subrequest, value } = this.lookup(ref, referenceId);
      if (subrequest) subrequests.push(subrequest);
      body[field] = value;
    }
    const referenceId = referenceIdOf(TASK);
    subrequests.push({ method: 'PATCH', url: this.keyPath(TASK), referenceId, body: { ...body, ...fields } });
    return {
      kind: 'composite',
      dispatch: 'queued',
      records: [
        {
          object: TASK,
          referenceId,
          how: 'upsert',
          externalIdField: this.externalIdField,
          externalId: this.externalId,
        },
      ],
      request: this.compositeRequest(subrequests),
    };
  }

  chatterPost(subjectObject: string, text: unknown, written: string[]): PlannedOperation | null {
    const subject = this.refFor(subjectObject, written);
    if (!subject) return null;
    const { subrequest, value } = this.lookup(subject, 'subject');
    const requests: SalesforceRequest[] = [];
    if (subrequest) requests.push({ method: 'GET', url: subrequest.url });
    requests.push({
      method: 'POST',
      url: `${this.base}/chatter/feed-elements`,
      body: {
        feedElementType: 'FeedItem',
        subjectId: value,
        body: { messageSegments: [{ type: 'Text', text: String(text) }] },
      },
    });
    return { kind: 'chatter-post', dispatch: 'queued', subject, requests };
  }
}
