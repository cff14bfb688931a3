import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SYSTEM_ACTOR } from '../../src/common/auth/principal';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { PreparedStatements } from '../../src/database/prepared-statements';
import { WritesEvents } from '../../src/modules/writes/events/writes.events';
import {
  type MoveOutcome,
  MOVES,
  moveStatement,
  WriteOutbox,
  type WriteRef,
} from '../../src/modules/writes/services/write-outbox';
import { addTenant, type TestTenant } from '../support/connected-tenant';
import { startTestApp, type TestApp } from '../support/test-app';

type Row = Record<string, unknown>;

const attempt = (outcome: 'written' | 'failed') => ({
  operation: 0,
  via: 'queued' as const,
  outcome,
  durationMs: 12,
  startedAt: new Date(),
  ...(outcome === 'failed' && {
    errorClass: 'transient',
    errorCode: 'SERVER_UNAVAILABLE',
    errorMessage: '503',
  }),
});

const MOVE: Record<MoveOutcome['move'], MoveOutcome> = {
  progress: { move: 'progress', change: { attempt: attempt('written'), operationsDone: 1 } },
  retrying: { move: 'retrying', change: { attempt: attempt('failed') } },
  written: { move: 'written', via: 'queued', records: { Contact: '003000000000001AAA' }, change: {} },
  dead: {
    move: 'dead',
    change: { lastError: { code: 'FIELD_INTEGRITY_EXCEPTION', message: 'no' } },
    failure: { errorClass: 'permanent', errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'no' },
    attempts: 1,
  },
  reopened: {
    move: 'reopened',
    change: { plan: { operations: [], mapVersionId: null, mapVersion: null }, operationsDone: 0 },
  },
};

describe('the write outbox is a state machine: every move, one event and one audit entry, committed together', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let outbox: WriteOutbox;
  let events: EventEmitter2;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await addTenant(t);
    outbox = t.app.get(WriteOutbox);
    events = t.app.get(EventEmitter2);
  });
  afterAll(() => t.close());

  const db = () => t.app.get(DataSource);

  /** A write requested through the outbox, then moved into `status` by the moves that lead there. */
  async function writeIn(
    status: 'pending' | 'retrying' | 'written' | 'dead',
    via = outbox,
  ): Promise<WriteRef> {
    const ref: WriteRef = {
      id: randomUUID(),
      tenantId: tenant.tenantId,
      callId: `call-${randomUUID()}`,
      intent: 'log_interest',
      actor: SYSTEM_ACTOR,
    };
    const requested = await via.request(
      {
        ...ref,
        kind: 'intent',
        status: 'pending',
        payload: { caller: {}, records: {}, now: new Date().toISOString() },
        operations: [],
        mapVersionId: null,
        mapVersion: null,
        notes: [],
        idempotencyKey: null,
        requestHash: null,
        requestedByKeyId: null,
        response: null,
      },
      SYSTEM_ACTOR,
      {
        callId: ref.callId,
        intent: ref.intent,
        mode: 'deferred',
        mapVersionId: null,
        mapVersion: null,
        idempotencyKey: null,
      },
    );
    expect(requested).toBe(true);
    if (status === 'retrying') await via.move(ref, MOVE.retrying);
    if (status === 'written') await via.move(ref, MOVE.written);
    if (status === 'dead') await via.move(ref, MOVE.dead);
    return ref;
  }

  /** Audit entries of the write, journaled or already chained, oldest first. */
  async function auditActions(writeId: string): Promise<string[]> {
    const rows = await db().query<Row[]>(
      `SELECT action FROM (
         SELECT action, occurred_at, id, 0 AS chained FROM audit_journal WHERE subject_id = $1
         UNION ALL SELECT action, occurred_at, id, 1 FROM audit_log WHERE subject_id = $1
       ) entries ORDER BY occurred_at, chained DESC, id`,
      [writeId],
    );
    return rows.map((row) => row.action as string);
  }

  /** The write-path events `work` emits, by name, in order. */
  async function eventsOf(work: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const listeners = Object.values(WritesEvents).map((name) => {
      const listener = () => seen.push(name);
      events.on(name, listener);
      return { name, listener };
    });
    try {
      await work();
    } finally {
      for (const { name, listener } of listeners) events.off(name, listener);
    }
    return seen;
  }

  /** A write in `from`, then `move` tried on it: whether it moved, what it emitted, its audit entries before. */
  async function attemptMove(from: 'pending' | 'retrying' | 'written' | 'dead', move: MoveOutcome['move']) {
    const ref = await writeIn(from);
    const before = await auditActions(ref.id);
    let moved: boolean | undefined;
    const emitted = await eventsOf(async () => {
      moved =
        move === 'reopened'
          ? await outbox.reopen(ref, MOVE.reopened.change, () => Promise.resolve(true))
          : await outbox.move(ref, MOVE[move]);
    });
    return { ref, before, moved, emitted };
  }

  async function statusOf(writeId: string): Promise<string> {
    const [row] = await db().query<Row[]>('SELECT status FROM writes WHERE id = $1', [writeId]);
    return row.status as string;
  }

  it('request: the write and its "requested" entry', async () => {
    let ref: WriteRef | undefined;
    const emitted = await eventsOf(async () => (ref = await writeIn('pending')));
    expect(emitted).toEqual([WritesEvents.WriteRequested]);
    expect(await auditActions(ref!.id)).toEqual([WritesEvents.WriteRequested]);
  });

  it.each([
    ['pending', 'progress', 'pending', [WritesEvents.AttemptRecorded]],
    ['pending', 'retrying', 'retrying', [WritesEvents.AttemptRecorded]],
    ['retrying', 'retrying', 'retrying', [WritesEvents.AttemptRecorded]],
    ['retrying', 'progress', 'pending', [WritesEvents.AttemptRecorded]],
    ['pending', 'written', 'written', [WritesEvents.WriteWritten]],
    ['retrying', 'written', 'written', [WritesEvents.WriteWritten]],
    ['pending', 'dead', 'dead', [WritesEvents.WriteFailed]],
    ['retrying', 'dead', 'dead', [WritesEvents.WriteFailed]],
    ['dead', 'reopened', 'pending', [WritesEvents.WriteReopened]],
  ] as const)('%s --%s--> %s: one event and one audit entry', async (from, move, to, expected) => {
    const { ref, before, moved, emitted } = await attemptMove(from, move);
    expect(moved).toBe(true);
    expect(await statusOf(ref.id)).toBe(to);
    expect(emitted).toEqual(expected);
    expect((await auditActions(ref.id)).slice(before.length)).toEqual(expected);
  });

  it('a move that carries its attempt raises the attempt and the final state: one entry for each event', async () => {
    const ref = await writeIn('pending');
    const emitted = await eventsOf(() =>
      outbox.move(ref, { ...MOVE.written, change: { attempt: attempt('written'), operationsDone: 1 } }),
    );
    expect(emitted).toEqual([WritesEvents.AttemptRecorded, WritesEvents.WriteWritten]);
    expect((await auditActions(ref.id)).slice(1)).toEqual(emitted);
    const attempts = await db().query<Row[]>('SELECT outcome FROM write_attempts WHERE write_id = $1', [
      ref.id,
    ]);
    expect(attempts).toEqual([{ outcome: 'written' }]);
  });

  it.each([
    ['written', 'retrying'],
    ['written', 'dead'],
    ['written', 'progress'],
    ['dead', 'written'],
    ['dead', 'retrying'],
    ['pending', 'reopened'],
    ['written', 'reopened'],
  ] as const)('%s --%s--> refused: nothing changes, nothing is emitted or audited', async (from, move) => {
    const { ref, before, moved, emitted } = await attemptMove(from, move);
    expect(moved).toBe(false);
    expect(await statusOf(ref.id)).toBe(from);
    expect(emitted).toEqual([]);
    expect(await auditActions(ref.id)).toEqual(before);
    const attempts = await db().query<Row[]>('SELECT 1 FROM write_attempts WHERE write_id = $1', [ref.id]);
    expect(attempts).toHaveLength(0);
  });

  it('a replay called off by the dead letter (already replayed) leaves the write dead', async () => {
    const ref = await writeIn('dead');
    const emitted = await eventsOf(() =>
      outbox.reopen(ref, MOVE.reopened.change, () => Promise.resolve(false)),
    );
    expect(emitted).toEqual([]);
    expect(await statusOf(ref.id)).toBe('dead');
  });

  it.each(Object.keys(MOVE) as Array<MoveOutcome['move']>)(
    '%s: its commit waits for the WAL flush only where MOVES says so, and only its own transaction is relaxed',
    async (move) => {
      const ref = await writeIn(move === 'reopened' ? 'dead' : 'pending');
      const statement = moveStatement(ref, MOVE[move]);
      // Inside a transaction of the test's own, what the statement did to the commit can be read back.
      const setting = await db().transaction(async (manager) => {
        const moved = await manager.query<Row[]>(statement.text, statement.values);
        expect(moved).toHaveLength(1);
        const [row] = await manager.query<Row[]>("SELECT current_setting('synchronous_commit') AS setting");
        return row.setting;
      });
      expect(setting).toBe(MOVES[move].flush ? 'on' : 'off');
      const [after] = await db().query<Row[]>("SELECT current_setting('synchronous_commit') AS setting");
      expect(after.setting).toBe('on');
      expect(await statusOf(ref.id)).toBe(MOVES[move].to);
    },
  );

  it('the move after a Chatter post (no upsert: sent again, it would be doubled) waits for the flush', async () => {
    const ref = await writeIn('pending');
    const statement = moveStatement(ref, {
      ...MOVE.written,
      change: { ...MOVE.written.change, sentOnceOnly: true },
    });
    const setting = await db().transaction(async (manager) => {
      expect(await manager.query<Row[]>(statement.text, statement.values)).toHaveLength(1);
      const [row] = await manager.query<Row[]>("SELECT current_setting('synchronous_commit') AS setting");
      return row.setting;
    });
    expect(setting).toBe('on');
  });

  it('when the audit entry cannot be written, the state change is not made either', async () => {
    const ref = await writeIn('pending');
    await db().query(`
      CREATE FUNCTION refuse_journal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'journal refused'; END $$`);
    await db().query(
      'CREATE TRIGGER refuse_journal BEFORE INSERT ON audit_journal FOR EACH ROW EXECUTE FUNCTION refuse_journal()',
    );
    try {
      let failure: unknown;
      const emitted = await eventsOf(() =>
        outbox.move(ref, MOVE.written).catch((error) => (failure = error)),
      );
      expect(String(failure)).toContain('journal refused');
      expect(emitted).toEqual([]);
      expect(await statusOf(ref.id)).toBe('pending');
    } finally {
      await db().query('DROP TRIGGER refuse_journal ON audit_journal');
      await db().query('DROP FUNCTION refuse_journal()');
    }
  });

  it('a process that dies right after a change, before chaining its entries, loses none of them', async () => {
    // Another process: its own connection pool and outbox, and no audit chainer at all.
    const doomed = new DataSource({ ...buildDataSourceOptions(t.databaseUrl), migrationsRun: false });
    await doomed.initialize();
    const doomedOutbox = new WriteOutbox(doomed, new PreparedStatements(doomed), new EventEmitter2());
    const ref = await writeIn('pending', doomedOutbox);
    await doomedOutbox.move(ref, {
      ...MOVE.written,
      change: { attempt: attempt('written'), operationsDone: 1 },
    });
    await doomed.destroy();

    const page = await t.http.get('/v1/audit').query({ writeId: ref.id }).set(tenant.admin).expect(200);
    expect((page.body.entries as Row[]).map((entry) => entry.action)).toEqual([
      WritesEvents.WriteRequested,
      WritesEvents.AttemptRecorded,
      WritesEvents.WriteWritten,
    ]);
    const journal = await db().query<Row[]>('SELECT 1 FROM audit_journal WHERE subject_id = $1', [ref.id]);
    expect(journal).toHaveLength(0);
    const verified = await t.http.get('/v1/audit/verify').set(tenant.admin).expect(200);
    expect(verified.body.ok).toBe(true);
  });
});
