import type { Problem } from '../../../common/errors/domain-error';
import type { DuplicatePolicy, IntentMapDefinition, IntentMode } from '../rules/intent-map-definition';
import type { CallerContext, CallFacts } from '../rules/value-expression';

/** One HTTP request to the org, relative to its instance URL; exactly what the executor sends. */
export interface SalesforceRequest {
  method: 'GET' | 'POST' | 'PATCH';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A `/composite` subrequest (salesforce-rest.md §5.1). */
export interface CompositeSubrequest {
  method: 'GET' | 'PATCH';
  url: string;
  referenceId: string;
  body?: Record<string, unknown>;
  httpHeaders?: Record<string, string>;
}

export interface CompositeBody {
  allOrNone: true;
  collateSubrequests: false;
  compositeRequest: CompositeSubrequest[];
}

/** How one record is written: upserted on the external-ID key, or updated by the id the call already knows. */
export type PlannedRecordWrite =
  | {
      object: string;
      referenceId: string;
      how: 'upsert';
      externalIdField: string;
      externalId: string;
      /** The fields the map targets (not the create defaults): what goes onto a duplicate rule's match. */
      targetedFields?: string[];
    }
  | { object: string; referenceId: string; how: 'update'; id: string };

/** A record referred to by id, or by the call's external-ID key (resolved by a GET first). */
export type RecordRef =
  { object: string; id: string } | { object: string; externalIdField: string; externalId: string };

/**
 * `in-call`: sent during the call (critical intents), one round trip; `queued`: handed to the queue and sent
 * later (deferred intents, Task and Chatter writes).
 */
export type Dispatch = 'in-call' | 'queued';

export type PlannedOperation =
  | {
      kind: 'composite';
      dispatch: Dispatch;
      /** Every sObject write of the composite, in subrequest order (lookups are not listed). */
      records: PlannedRecordWrite[];
      request: SalesforceRequest & { method: 'POST'; body: CompositeBody };
      /** What the sender does when a duplicate rule blocks a new record (absent: use_matched). */
      duplicates?: DuplicatePolicy;
    }
  | {
      kind: 'chatter-post';
      dispatch: 'queued';
      subject: RecordRef;
      /**
       * In order. When the subject is known by external ID only, the first request fetches it and the post's
       * `subjectId` is `@{subject.Id}`: the executor substitutes the fetched `Id`, as `/composite` would.
       */
      requests: SalesforceRequest[];
    };

/** Records the call already knows: the lookup's match, and what earlier writes of this call created. */
export type KnownRecords = Partial<Record<string, string>>;

export interface WritePlanInput {
  tenantId: string;
  callId: string;
  /** Salesforce API version of the URLs, without the `v` (`"62.0"`). */
  apiVersion: string;
  /** `$now` and `$today` (UTC). */
  now: Date;
  /** What the agent sent (`$value`). */
  value?: unknown;
  caller: CallerContext;
  payload?: unknown;
  /** What is known of the call beyond its id (`$call.*`); the completion fills summary, duration, … */
  call?: Omit<CallFacts, 'id'>;
  /**
   * Record ids by object (`{Contact: "003…", Account: "001…"}`). A known Contact makes the caller known: no
   * Lead is created, and known records are updated by id instead of upserted.
   */
  records?: KnownRecords;
}

/** The immutable map version a plan is built from; each write records `id` and `version`. */
export interface IntentMapVersionRef {
  id: string;
  intent: string;
  version: number;
  definition: IntentMapDefinition;
}

export interface WritePlan {
  intent: string;
  mapVersionId: string;
  mapVersion: number;
  mode: IntentMode;
  /** In the order they must run: the composite first, then the queued Task and Chatter operations. */
  operations: PlannedOperation[];
  /** Blocking: the write must not be sent (a missing or mistyped value). */
  problems: Problem[];
  /** Not blocking: what was left out and why (a caller field not given, Lead targets for a known Contact). */
  notes: string[];
}
