import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { TenantPrincipal } from '../../../common/auth/principal';
import { DomainError, type Problem } from '../../../common/errors/domain-error';
import { SalesforceClient } from '../../salesforce/client/salesforce-client';
import { ConnectionsService } from '../../salesforce/connections.service';
import { buildSampleScript, type SampleStep } from '../rules/sample-script';
import { IntentMapsService } from './intent-maps.service';
import { MetadataService } from './metadata.service';
import { SimulationsService } from './simulations.service';

export const PREFLIGHT_CHECK_IDS = ['connection', 'scopes', 'maps', 'simulation', 'round_trip'] as const;
export type PreflightCheckId = (typeof PREFLIGHT_CHECK_IDS)[number];

export interface PreflightCheck {
  id: PreflightCheckId;
  ok: boolean;
  summary: string;
  problems: Problem[];
}

export interface PreflightReport {
  ok: boolean;
  checkedAt: string;
  checks: PreflightCheck[];
  /** Median of a few `GET /limits` round trips to the org's instance, when connected. */
  roundTripMs: number | null;
  roundTripBudgetMs: number;
  /** The daily API usage the org reported on those round trips (`DailyApiRequests`). */
  apiUsage: { used: number; limit: number } | null;
}

const ROUND_TRIP_SAMPLES = 3;

interface LimitsResponse {
  DailyApiRequests?: { Max: number; Remaining: number };
}

/**
 * The go-live checklist as one answer, for the console and for an automated deploy: the connection is healthy,
 * its scopes cover every map, every map is ok against today's metadata, the sample call simulates cleanly, and
 * the org's instance answers fast enough for in-call writes.
 */
@Injectable()
export class PreflightService {
  /** An in-call write waits CRITICAL_WRITE_DEADLINE_MS at most; one round trip must leave room for retries. */
  private readonly roundTripBudgetMs: number;

  constructor(
    private readonly connections: ConnectionsService,
    private readonly salesforce: SalesforceClient,
    private readonly maps: IntentMapsService,
    private readonly metadata: MetadataService,
    private readonly simulations: SimulationsService,
    config: ConfigService,
  ) {
    this.roundTripBudgetMs = Math.round(
      config.getOrThrow<{ criticalWriteDeadlineMs: number }>('writes').criticalWriteDeadlineMs / 3,
    );
  }

  /** The sample call with the full happy-path script, built from the tenant's live maps. */
  async sampleScript(tenantId: string): Promise<SampleStep[]> {
    const [versions, catalog] = await Promise.all([
      this.maps.activeVersions(tenantId),
      this.metadata.loadCatalog(tenantId),
    ]);
    return buildSampleScript(versions, catalog, new Date());
  }

  async run(caller: TenantPrincipal): Promise<PreflightReport> {
    const { tenantId } = caller;
    const connection = await this.connections.getConnectionSummary(tenantId);
    const connected = connection?.status === 'connected';
    const maps = await this.maps.list(tenantId);
    const drift = maps.flatMap((map) => map.drift.map((problem) => ({ ...problem, field: map.intent })));
    const scopeProblems = drift.filter((problem) => problem.code === 'SCOPE_INSUFFICIENT');
    const mapProblems = drift.filter((problem) => problem.code !== 'SCOPE_INSUFFICIENT');

    const checks: PreflightCheck[] = [
      {
        id: 'connection',
        ok: connected,
        summary: connection
          ? `${connection.status} to ${connection.instance} (${connection.region}), profile ${connection.profile}`
          : 'not connected',
        problems: connected ? [] : [{ code: 'NOT_CONNECTED', message: 'Connect the Salesforce org' }],
      },
      {
        id: 'scopes',
        ok: connected && scopeProblems.length === 0,
        summary: connection
          ? `granted: ${connection.scopes.join(' ')}`
          : 'no connection, so no scopes granted',
        problems: scopeProblems,
      },
      {
        id: 'maps',
        ok: maps.length > 0 && mapProblems.length === 0,
        summary: maps.length
          ? `${maps.filter((map) => map.status === 'ok').length} of ${maps.length} maps ok against current metadata`
          : 'no intent maps yet',
        problems: maps.length
          ? mapProblems
          : [{ code: 'NO_MAPS', message: 'Create at least one intent map' }],
      },
      await this.simulationCheck(caller, maps.length),
    ];
    const roundTrip = connected ? await this.measureRoundTrip(tenantId) : null;
    checks.push(this.roundTripCheck(roundTrip));
    return {
      ok: checks.every((check) => check.ok),
      checkedAt: new Date().toISOString(),
      checks,
      roundTripMs: roundTrip && 'ms' in roundTrip ? roundTrip.ms : null,
      roundTripBudgetMs: this.roundTripBudgetMs,
      apiUsage: roundTrip && 'ms' in roundTrip ? roundTrip.apiUsage : null,
    };
  }

  private async simulationCheck(caller: TenantPrincipal, mapCount: number): Promise<PreflightCheck> {
    if (mapCount === 0) {
      return { id: 'simulation', ok: false, summary: 'no maps to simulate', problems: [] };
    }
    const script = await this.sampleScript(caller.tenantId);
    const result = await this.simulations.simulate(caller, { script, callId: 'preflight-sample-call' });
    const problems = result.steps.flatMap((step) =>
      step.problems.map((problem) => ({ ...problem, field: `step ${step.step} (${step.intent})` })),
    );
    return {
      id: 'simulation',
      ok: problems.length === 0,
      summary: `${result.steps.length} steps, ${result.requests.total} Salesforce requests (${result.requests.inCall} during the call)`,
      problems,
    };
  }

  private async measureRoundTrip(
    tenantId: string,
  ): Promise<{ ms: number; apiUsage: PreflightReport['apiUsage'] } | { error: Problem }> {
    const durations: number[] = [];
    let limits: LimitsResponse = {};
    try {
      for (let sample = 0; sample < ROUND_TRIP_SAMPLES; sample += 1) {
        const started = performance.now();
        limits = await this.salesforce.request<LimitsResponse>(tenantId, { method: 'GET', path: '/limits' });
        durations.push(performance.now() - started);
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { error: { code: error.code, message: error.message } };
    }
    durations.sort((a, b) => a - b);
    const daily = limits.DailyApiRequests;
    return {
      ms: Math.round(durations[Math.floor(durations.length / 2)]),
      apiUsage: daily ? { used: daily.Max - daily.Remaining, limit: daily.Max } : null,
    };
  }

  private roundTripCheck(
    roundTrip: Awaited<ReturnType<PreflightService['measureRoundTrip']>> | null,
  ): PreflightCheck {
    if (!roundTrip) return { id: 'round_trip', ok: false, summary: 'not connected', problems: [] };
    if ('error' in roundTrip) {
      return {
        id: 'round_trip',
        ok: false,
        summary: 'the instance did not answer',
        problems: [roundTrip.error],
      };
    }
    const ok = roundTrip.ms <= this.roundTripBudgetMs;
    return {
      id: 'round_trip',
      ok,
      summary: `${roundTrip.ms} ms to the instance (budget ${this.roundTripBudgetMs} ms)`,
      problems: ok
        ? []
        : [
            {
              code: 'ROUND_TRIP_SLOW',
              message: `The median round trip (${roundTrip.ms} ms) exceeds a third of the in-call write deadline`,
            },
          ],
    };
  }
}
