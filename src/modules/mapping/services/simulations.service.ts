import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { DomainError, type Problem } from '../../../common/errors/domain-error';
import { httpStatusOf } from '../../../common/errors/http-status';
import { MappingEvents, SimulationRunEvent } from '../events/mapping.events';
import type { KnownRecords, PlannedOperation } from '../plan/write-plan';
import type { CallerContext } from '../rules/value-expression';
import { IntentMapsService } from './intent-maps.service';
import { type PlannedWrite, WritePlansService } from './write-plans.service';

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

/** A step the real call would refuse before planning (no map for the intent, a caller number not readable). */
function refusedStep(step: number, intent: string, error: DomainError): SimulationStep {
  const spot = `script[${step - 1}]`;
  const problems = error.problems?.length
    ? error.problems.map((problem) => ({ ...problem, field: `${spot}.${problem.field}` }))
    : [{ field: `${spot}.intent`, code: error.code, message: error.message }];
  return {
    step,
    intent,
    mapVersion: null,
    mapVersionId: null,
    mode: null,
    operations: [],
    problems,
    notes: [],
  };
}

/**
 * Dry-runs a call script: each step planned by `WritePlansService.plan`, exactly as the write path plans it,
 * from the same raw input. Nothing is sent to Salesforce. Records written by an earlier step are known to
 * later ones (as the write path knows them from its outbox), shown as `{Account id from step 1}`.
 */
@Injectable()
export class SimulationsService {
  constructor(
    private readonly maps: IntentMapsService,
    private readonly plans: WritePlansService,
    private readonly events: EventEmitter2,
  ) {}

  async simulate(caller: TenantPrincipal, input: SimulationInput): Promise<SimulationResult> {
    const { tenantId } = caller;
    const callId = input.callId ?? 'simulated-call';
    const context = await this.maps.validationContext(tenantId, await this.plans.catalog(tenantId));
    const records: KnownRecords = { ...input.records };
    const now = new Date();
    let currentCaller: CallerContext = {};
    const steps: SimulationStep[] = [];

    for (const [index, entry] of input.script.entries()) {
      const step = index + 1;
      currentCaller = { ...currentCaller, ...entry.caller };
      let planned: PlannedWrite;
      try {
        planned = await this.plans.plan(tenantId, {
          kind: 'intent',
          intent: entry.intent,
          callId,
          now,
          value: entry.value,
          caller: currentCaller,
          payload: entry.payload,
          records: { ...records },
        });
      } catch (error) {
        if (!(error instanceof DomainError) || httpStatusOf(error.code) !== 422) throw error;
        steps.push(refusedStep(step, entry.intent, error));
        continue;
      }
      const { plan, mapVersion } = planned;
      steps.push({
        step,
        intent: entry.intent,
        mapVersion: plan.mapVersion,
        mapVersionId: plan.mapVersionId,
        mode: plan.mode,
        operations: plan.operations,
        problems: [...this.maps.driftOf(mapVersion!, context), ...plan.problems],
        notes: plan.notes,
      });
      for (const operation of plan.operations) {
        if (operation.kind !== 'composite') continue;
        for (const record of operation.records) records[record.object] ??= placeholderId(record.object, step);
      }
    }

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
