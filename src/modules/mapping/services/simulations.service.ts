import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { TenantPrincipal } from '../../../common/auth/principal';
import type { Problem } from '../../../common/errors/domain-error';
import { MappingEvents, SimulationRunEvent } from '../events/mapping.events';
import { buildWritePlan } from '../plan/build-write-plan';
import type { KnownRecords, PlannedOperation } from '../plan/write-plan';
import type { CallerContext } from '../rules/value-expression';
import { IntentMapsService, toVersionRef } from './intent-maps.service';
import { MetadataService } from './metadata.service';
import { WritePlansService } from './write-plans.service';

export interface SimulationStepInput {
  intent: string;
  value?: unknown;
  caller?: CallerContext;
  payload?: unknown;
}

export interface SimulationInput {
  script: SimulationStepInput[];
  callId?: string;
  /** Records the caller lookup would find (`{Contact: "003…", Account: "001…"}`). */
  records?: KnownRecords;
}

export interface SimulationStep {
  step: number;
  intent: string;
  mapVersion: number | null;
  mapVersionId: string | null;
  mode: string | null;
  operations: PlannedOperation[];
  problems: Problem[];
  notes: string[];
}

export interface SimulationResult {
  callId: string;
  steps: SimulationStep[];
  /** How many requests would reach Salesforce, and how many of them during the call. */
  requests: { total: number; inCall: number };
  problems: number;
}

const placeholderId = (object: string, step: number) => `{${object} id from step ${step}}`;

/**
 * Dry-runs a call script: each step planned with `buildWritePlan`, exactly as the write path does, against
 * the live maps and metadata. Nothing is sent to Salesforce. Records written by an earlier step are known to
 * later ones (as the write path knows them from its outbox), shown as `{Account id from step 1}`.
 */
@Injectable()
export class SimulationsService {
  constructor(
    private readonly maps: IntentMapsService,
    private readonly metadata: MetadataService,
    private readonly plans: WritePlansService,
    private readonly events: EventEmitter2,
  ) {}

  async simulate(caller: TenantPrincipal, input: SimulationInput): Promise<SimulationResult> {
    const { tenantId } = caller;
    const callId = input.callId ?? 'simulated-call';
    const [versions, catalog] = await Promise.all([
      this.maps.activeVersions(tenantId),
      this.metadata.loadCatalog(tenantId),
    ]);
    const context = await this.maps.validationContext(tenantId, catalog);
    const byIntent = new Map(versions.map((row) => [row.intent, row]));
    const records: KnownRecords = { ...input.records };
    const now = new Date();
    let currentCaller: CallerContext = {};
    const steps: SimulationStep[] = [];

    input.script.forEach((entry, index) => {
      const step = index + 1;
      currentCaller = { ...currentCaller, ...entry.caller };
      const row = byIntent.get(entry.intent);
      if (!row) {
        steps.push({
          step,
          intent: entry.intent,
          mapVersion: null,
          mapVersionId: null,
          mode: null,
          operations: [],
          problems: [
            {
              field: `script[${index}].intent`,
              code: 'INTENT_UNKNOWN',
              message: `No intent map for "${entry.intent}"`,
            },
          ],
          notes: [],
        });
        return;
      }
      const plan = buildWritePlan(toVersionRef(row), catalog, {
        tenantId,
        callId,
        apiVersion: this.plans.salesforceApiVersion,
        now,
        value: entry.value,
        caller: currentCaller,
        payload: entry.payload,
        records: { ...records },
      });
      const drift = this.maps.driftOf(row, context);
      steps.push({
        step,
        intent: entry.intent,
        mapVersion: plan.mapVersion,
        mapVersionId: plan.mapVersionId,
        mode: plan.mode,
        operations: plan.operations,
        problems: [...drift, ...plan.problems],
        notes: plan.notes,
      });
      for (const operation of plan.operations) {
        if (operation.kind !== 'composite') continue;
        for (const record of operation.records) records[record.object] ??= placeholderId(record.object, step);
      }
    });

    const requests = steps.flatMap((s) =>
      s.operations.map((op) => [op, op.kind === 'composite' ? 1 : op.requests.length] as const),
    );
    const problems = steps.reduce((sum, s) => sum + s.problems.length, 0);
    this.events.emit(
      MappingEvents.SimulationRun,
      new SimulationRunEvent(tenantId, callId, steps.length, problems, caller),
    );
    return {
      callId,
      steps,
      requests: {
        total: requests.reduce((sum, [, n]) => sum + n, 0),
        inCall: requests.filter(([op]) => op.dispatch === 'in-call').length,
      },
      problems,
    };
  }
}
