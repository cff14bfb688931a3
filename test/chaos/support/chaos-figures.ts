import type request from 'supertest';
import { control } from '../../../sandbox-org/testing/sandbox-test-client';
import { eventually } from '../../support/eventually';

type Row = Record<string, unknown>;

/** The one table every chaos scenario ends with (product.md §5: nothing lost, nothing doubled). */
export interface Figures {
  accepted: number;
  written: number;
  deadLettered: number;
  duplicates: number;
  lost: number;
}

/** What a scenario needs to count its writes: the service's database, the tenant's admin, the org. */
export interface ChaosTarget {
  /** SQL against the service's own database (in-process DataSource or a pg client of a child's database). */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Supertest against the API (in-process app or a child's URL). */
  http(): ReturnType<typeof request>;
  admin: Record<string, string>;
  tenantId: string;
  instanceUrl: string;
}

export interface SettleOptions {
  /** The sObject each write creates or updates, found by the call's external id (default Task). */
  object?: string;
  timeoutMs?: number;
}

type WriteRow = { id: string; status: string; call_id: string };

export const writeStatuses = (target: ChaosTarget, writeIds: string[]) =>
  target.query<WriteRow>(`SELECT id, status, call_id FROM writes WHERE id = ANY($1::uuid[])`, [writeIds]);

/**
 * Waits until every write is finished (written or dead), then counts the records of each write's call in the
 * org (by external id) and its dead letters, and verifies the tenant's audit chain. A write is lost when it is
 * neither in the org nor dead-lettered (or vanished); every record beyond the first of a call is a duplicate.
 */
export async function settle(
  target: ChaosTarget,
  writeIds: string[],
  options: SettleOptions = {},
): Promise<Figures> {
  const rows = await eventually(
    async () => {
      const current = await writeStatuses(target, writeIds);
      expect(current.filter((w) => w.status !== 'written' && w.status !== 'dead')).toEqual([]);
      return current;
    },
    options.timeoutMs ?? 110_000,
    250,
  );
  // Let any request Salesforce was still handling land too before counting.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const records = (await control(target.instanceUrl, 'GET', `/records/${options.object ?? 'Task'}`))
    .body as Row[];
  const deadLetters = await target.query<{ write_id: string }>(
    `SELECT write_id FROM dead_letters WHERE write_id = ANY($1::uuid[])`,
    [writeIds],
  );
  const dead = new Set(deadLetters.map((d) => d.write_id));
  const figures: Figures = { accepted: writeIds.length, written: 0, deadLettered: 0, duplicates: 0, lost: 0 };
  for (const write of rows) {
    const externalId = `${target.tenantId}:${write.call_id}`;
    const inOrg = records.filter((r) => r.AICall_External_Id__c === externalId).length;
    if (inOrg > 1) figures.duplicates += inOrg - 1;
    if (write.status === 'written' && inOrg >= 1) figures.written++;
    else if (write.status === 'dead' && dead.has(write.id) && inOrg === 0) figures.deadLettered++;
    else figures.lost++;
  }
  figures.lost += writeIds.length - rows.length;
  const verify = await target.http().get('/v1/audit/verify').set(target.admin).expect(200);
  expect(verify.body).toMatchObject({ ok: true });
  return figures;
}

export function sumFigures(...all: Figures[]): Figures {
  const total: Figures = { accepted: 0, written: 0, deadLettered: 0, duplicates: 0, lost: 0 };
  for (const figures of all)
    for (const key of Object.keys(total) as Array<keyof Figures>) total[key] += figures[key];
  return total;
}

export function expectNothingLost(figures: Figures): void {
  expect(figures.duplicates).toBe(0);
  expect(figures.lost).toBe(0);
  expect(figures.written + figures.deadLettered).toBe(figures.accepted);
}

/** Collects each scenario's figures (and a note, e.g. a recovery time) and prints them as one table. */
export class ChaosTable {
  private readonly rows: Array<{ scenario: string; figures: Figures; note: string }> = [];

  constructor(private readonly title: string) {}

  add(scenario: string, figures: Figures, note = ''): void {
    this.rows.push({ scenario, figures, note });
    console.log(`chaos ${scenario}: ${JSON.stringify(figures)}${note ? ` (${note})` : ''}`);
  }

  print(): void {
    const total = sumFigures(...this.rows.map((row) => row.figures));
    const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
    const lines = [
      `chaos: ${this.title}`,
      line(['scenario', 'accepted', 'written', 'dead-lettered', 'duplicates', 'lost', 'notes']),
      line(['---', '---:', '---:', '---:', '---:', '---:', '---']),
    ];
    for (const { scenario, figures, note } of this.rows) {
      lines.push(line([scenario, ...Object.values(figures), note]));
    }
    lines.push(line(['**total**', ...Object.values(total), '']));
    console.log(lines.join('\n'));
  }
}
