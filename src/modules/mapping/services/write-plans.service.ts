import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OnEvent } from '@nestjs/event-emitter';
import { ExpiringCache } from '../../../common/cache/expiring-cache';
import type { SalesforceConfig } from '../../../config/salesforce.config';
import type { WritesConfig } from '../../../config/writes.config';
import { MappingEvents, type MetadataRefreshedEvent } from '../events/mapping.events';
import { buildWritePlan } from '../plan/build-write-plan';
import { COMPLETION_INTENT, completionVersion } from '../plan/completion-plan';
import type { IntentMapVersionRef, KnownRecords, WritePlan, WritePlanInput } from '../plan/write-plan';
import { type AgentIntent, describeAgentIntent } from '../rules/agent-intent';
import type { MetadataCatalog } from '../rules/field-metadata';
import { normalizePhone } from '../rules/phone-number';
import type { CallerContext, CallFacts } from '../rules/value-expression';
import { ActiveVersions } from './active-versions';
import { IntentMapsService } from './intent-maps.service';
import { MetadataService } from './metadata.service';

/** What a call gives for one of its writes, as the agent sent it (the caller's phone in any readable form). */
interface CallInput {
  callId: string;
  /** `$now` and `$today`; the write records it so that a replay plans the same dates. */
  now: Date;
  caller: CallerContext;
  /** Records the call knows (the lookup's match, earlier writes): updated by id, never created again. */
  records?: KnownRecords;
}

/** An intent of the agent (`POST /v1/calls/{callId}/intents`), planned with the intent's current map. */
export interface IntentPlanRequest extends CallInput {
  kind: 'intent';
  intent: string;
  value?: unknown;
  payload?: unknown;
}

/** A call's completion: its Task, plus what a tenant's `call_completed` map adds. */
export interface CompletionPlanRequest extends CallInput {
  kind: 'completion';
  call: Omit<CallFacts, 'id'>;
  /** The call already has a Task (an earlier write made it): its TaskSubtype is not sent again. */
  taskExists?: boolean;
}

export type PlanRequest = IntentPlanRequest | CompletionPlanRequest;

export interface PlannedWrite {
  plan: WritePlan;
  /** The caller as the plan used it and the write records it: the phone in E.164. */
  caller: CallerContext;
  /** The tenant's map version planned with; null for a completion when the tenant has no `call_completed` map. */
  mapVersion: IntentMapVersionRef | null;
}

/**
 * Metadata changes rarely and is read on every write: each process keeps it a few seconds (one load shared by
 * the requests arriving as it expires), forgotten at once when this process refreshes the tenant's metadata.
 */
const CATALOG_TTL_MS = 5_000;
/**
 * Catalogs kept at most: an expired one is still answered while it reloads, so without a bound every tenant ever
 * planned for would stay in the API's heap (which production bounds, package.json `start:api`).
 */
const CATALOGS_KEPT = 200;

/**
 * THE planner: every write (an intent, a completion, a dead letter's replay) and every simulation step is
 * planned here, from the raw call input: the caller's phone normalised as the lookup reads it, the intent's
 * active map version (cached), the tenant's field metadata (cached), the completion's built-in Task. So a
 * simulation makes exactly the requests a real call makes.
 */
@Injectable()
export class WritePlansService {
  private readonly apiVersion: string;
  private readonly phoneRegion: string;
  private readonly catalogs = new ExpiringCache<MetadataCatalog>({
    ttlMs: CATALOG_TTL_MS,
    maxEntries: CATALOGS_KEPT,
    // A metadata refresh in this process drops the entry; a call never waits for a periodic reload.
    serveStaleWhileReloading: true,
  });

  constructor(
    private readonly maps: IntentMapsService,
    private readonly metadata: MetadataService,
    private readonly versions: ActiveVersions,
    config: ConfigService,
  ) {
    this.apiVersion = config.get<SalesforceConfig>('salesforce')?.apiVersion ?? '62.0';
    this.phoneRegion = config.getOrThrow<WritesConfig>('writes').defaultPhoneRegion;
  }

  /**
   * The plan of one write of a call. Refuses with 422 PHONE_INVALID (a caller number it cannot read) and
   * 422 INTENT_UNKNOWN (no map for the intent); a missing or mistyped value is in `plan.problems`.
   */
  async plan(tenantId: string, request: PlanRequest): Promise<PlannedWrite> {
    const caller = this.normalizeCaller(request.caller);
    const input: WritePlanInput = {
      tenantId,
      apiVersion: this.apiVersion,
      callId: request.callId,
      now: request.now,
      caller,
      records: request.records,
    };
    if (request.kind === 'intent') {
      const [mapVersion, catalog] = await Promise.all([
        this.versions.get(tenantId, request.intent),
        this.catalog(tenantId),
      ]);
      const { value, payload } = request;
      return { plan: buildWritePlan(mapVersion, catalog, { ...input, value, payload }), caller, mapVersion };
    }
    const [extra, catalog] = await Promise.all([
      this.versions.find(tenantId, COMPLETION_INTENT),
      this.catalog(tenantId),
    ]);
    const taskExists = request.taskExists || request.records?.Task !== undefined;
    const version = completionVersion(request.call, extra, { taskExists });
    const plan = buildWritePlan(version, catalog, { ...input, call: request.call });
    return { plan, caller, mapVersion: extra };
  }

  /** The phone in E.164, as a caller lookup reads it and as Salesforce then stores and matches it. */
  private normalizeCaller(caller: CallerContext): CallerContext {
    if (caller.phone === undefined) return caller;
    return { ...caller, phone: normalizePhone(caller.phone, this.phoneRegion, 'caller.phone').e164 };
  }

  /**
   * Every live intent of the tenant as an agent sees it (agent tools), read from the current saved versions
   * without a cache, so a map saved a moment ago is offered at once.
   */
  async agentIntents(tenantId: string): Promise<AgentIntent[]> {
    const [versions, catalog] = await Promise.all([
      this.maps.activeVersions(tenantId),
      this.catalog(tenantId),
    ]);
    return versions.map((row) => describeAgentIntent(row.intent, row.definition, catalog));
  }

  catalog(tenantId: string): Promise<MetadataCatalog> {
    return this.catalogs.get(tenantId, () => this.metadata.loadCatalog(tenantId));
  }

  @OnEvent(MappingEvents.MetadataRefreshed)
  forgetCatalog(event: MetadataRefreshedEvent): void {
    this.catalogs.delete(event.tenantId);
  }
}
