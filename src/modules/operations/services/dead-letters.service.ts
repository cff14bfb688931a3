import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainError, NotFoundError } from '../../../common/errors/domain-error';
import { type PlannedOperation, WritePlansService } from '../../mapping';
import { QueueName } from '../../queue/queue-names';
import type { Write } from '../../writes/entities/write.entity';
import { WriteOutbox } from '../../writes/services/write-outbox';
import { within } from '../../writes/services/bounded';
import { WriteExecutor } from '../../writes/services/write-executor';
import { DeadLetter, type DeadLetterStatus } from '../entities/dead-letter.entity';
import {
  DeadLetteredEvent,
  OperationsEvents,
  type OperationsActor,
  ReplayRequestedEvent,
  SYSTEM_ACTOR,
} from '../events/operations.events';
import {
  deadLetterAlertJobId,
  DEAD_LETTER_ALERT_JOB,
  deadLetterAlertJobOptions,
} from './dead-letter-alert-job';
import { OperationsErrorCode } from '../operations-error-code';

const REDIS_BOUND_MS = 1000;

/** TypeORM answers an UPDATE ... RETURNING on Postgres with `[rows, affected]`. */
type UpdateResult = [unknown[], number];
const updatedRows = (result: UpdateResult) => result[1];

export interface ReplayOutcome {
  writeId: string;
  /** False when there was nothing to do (already replayed, or the write is no longer dead). */
  replayed: boolean;
}

/**
 * Dead letters: recorded from dead writes (idempotent; Postgres first, the alert job second), listed, and
 * replayed. A replay re-plans the write's original input with the current map and sends it again through the
 * write queue; every send is an upsert on the call's external ids, so replaying twice creates nothing twice.
 */
@Injectable()
export class DeadLettersService {
  private readonly logger = new Logger(DeadLettersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.DeadLetter) private readonly deadLetterQueue: Queue,
    private readonly outbox: WriteOutbox,
    private readonly executor: WriteExecutor,
    private readonly plans: WritePlansService,
    private readonly events: EventEmitter2,
  ) {}

  /**
   * The dead letter of a dead write: inserted once; a repeated event changes nothing; a write that died again
   * after a replay reopens its dead letter. Then the alert job, with a deterministic id.
   */
  async recordFromWrite(writeId: string, errorClass: string | null): Promise<DeadLetter | null> {
    const rows = await this.dataSource.query<Array<{ id: string; deaths: number }>>(
      `INSERT INTO dead_letters (tenant_id, write_id, call_id, intent, status, payload, map_version_id,
         map_version, attempts, error_class, error_code, error_message)
       SELECT w.tenant_id, w.id, w.call_id, w.intent, 'open', w.payload, w.map_version_id, w.map_version,
         COALESCE((SELECT jsonb_agg(jsonb_build_object(
             'operation', a.operation, 'via', a.via, 'outcome', a.outcome, 'errorClass', a.error_class,
             'errorCode', a.error_code, 'errorMessage', a.error_message, 'durationMs', a.duration_ms,
             'startedAt', a.started_at) ORDER BY a.started_at, a.id)
           FROM write_attempts a WHERE a.write_id = w.id), '[]'::jsonb),
         COALESCE($2, (SELECT a.error_class FROM write_attempts a WHERE a.write_id = w.id
           ORDER BY a.started_at DESC, a.id DESC LIMIT 1)),
         COALESCE(w.last_error_code, 'UNKNOWN'), COALESCE(w.last_error_message, '')
       FROM writes w WHERE w.id = $1 AND w.status = 'dead'
       ON CONFLICT ON CONSTRAINT dead_letters_write_unique DO UPDATE SET
         status = 'open', deaths = dead_letters.deaths + 1, attempts = EXCLUDED.attempts,
         payload = EXCLUDED.payload, map_version_id = EXCLUDED.map_version_id,
         map_version = EXCLUDED.map_version, error_class = EXCLUDED.error_class,
         error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message, alerted_at = NULL,
         updated_at = now()
       WHERE dead_letters.status = 'replayed'
       RETURNING id, deaths`,
      [writeId, errorClass],
    );
    if (rows.length === 0) return null;
    const deadLetter = await this.dataSource.getRepository(DeadLetter).findOneByOrFail({ id: rows[0].id });
    this.events.emit(
      OperationsEvents.DeadLettered,
      new DeadLetteredEvent(
        deadLetter.tenantId,
        deadLetter.id,
        SYSTEM_ACTOR,
        deadLetter.writeId,
        deadLetter.intent,
        deadLetter.errorCode,
        deadLetter.deaths,
      ),
    );
    this.logger.warn(
      { deadLetterId: deadLetter.id, writeId, errorCode: deadLetter.errorCode },
      'write dead-lettered',
    );
    await this.enqueueAlert(deadLetter);
    return deadLetter;
  }

  /** Bounded: while Redis is down the dead letter stays un-alerted and the outbox sweep enqueues it later. */
  async enqueueAlert(deadLetter: Pick<DeadLetter, 'id' | 'deaths'>): Promise<boolean> {
    const added = await within(
      this.deadLetterQueue
        .add(
          DEAD_LETTER_ALERT_JOB,
          { deadLetterId: deadLetter.id },
          { ...deadLetterAlertJobOptions, jobId: deadLetterAlertJobId(deadLetter) },
        )
        .then(() => true),
      REDIS_BOUND_MS,
      false,
    );
    if (!added) this.logger.warn({ deadLetterId: deadLetter.id }, 'dead-letter alert not queued (Redis)');
    return added;
  }

  list(tenantId: string, status?: DeadLetterStatus): Promise<DeadLetter[]> {
    return this.dataSource.getRepository(DeadLetter).find({
      where: { tenantId, ...(status && { status }) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: 1000,
    });
  }

  async get(tenantId: string, id: string): Promise<DeadLetter> {
    const deadLetter = await this.dataSource.getRepository(DeadLetter).findOneBy({ tenantId, id });
    if (!deadLetter) throw new NotFoundError('Dead letter');
    return deadLetter;
  }

  async replay(tenantId: string, id: string, actor: OperationsActor): Promise<ReplayOutcome> {
    const deadLetter = await this.get(tenantId, id);
    return this.replayOne(deadLetter, actor);
  }

  /** Every id must be one of the tenant's dead letters (else 404, nothing replayed). */
  async replayMany(tenantId: string, ids: string[], actor: OperationsActor): Promise<ReplayOutcome[]> {
    const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
    const found = await this.dataSource
      .getRepository(DeadLetter)
      .find({ where: { tenantId, id: In(unique) }, order: { createdAt: 'ASC' } });
    if (found.length !== unique.length) throw new NotFoundError('Dead letter');
    const outcomes: ReplayOutcome[] = [];
    for (const deadLetter of found) outcomes.push(await this.replayOne(deadLetter, actor));
    return outcomes;
  }

  private async replayOne(deadLetter: DeadLetter, actor: OperationsActor): Promise<ReplayOutcome> {
    const nothing = { writeId: deadLetter.writeId, replayed: false };
    if (deadLetter.status !== 'open') return nothing;
    const write = await this.outbox.findById(deadLetter.writeId);
    if (!write) throw new NotFoundError('Write');
    if (write.status !== 'dead') {
      // Written since it was dead-lettered (an earlier replay got through): nothing to send again.
      await this.markReplayed(this.dataSource.manager, deadLetter.id);
      return nothing;
    }
    const plan = await this.replan(write);
    const replayed = await this.executor.replay(write, plan, actor, (manager) =>
      this.markReplayed(manager, deadLetter.id),
    );
    if (!replayed) return nothing;
    this.events.emit(
      OperationsEvents.ReplayRequested,
      new ReplayRequestedEvent(write.tenantId, deadLetter.id, actor, write.id, plan.mapVersion),
    );
    return { writeId: write.id, replayed: true };
  }

  /** False when the dead letter is no longer open (replayed meanwhile). */
  private async markReplayed(manager: EntityManager, deadLetterId: string): Promise<boolean> {
    const letters = await manager.query<UpdateResult>(
      `UPDATE dead_letters SET status = 'replayed', replays = replays + 1, replayed_at = now(),
         updated_at = now() WHERE id = $1 AND status = 'open' RETURNING id`,
      [deadLetterId],
    );
    return updatedRows(letters) === 1;
  }

  /** The write's original input through the current map (a completion is planned again by its job). */
  private async replan(write: Write): Promise<{
    operations: PlannedOperation[] | null;
    mapVersionId: string | null;
    mapVersion: number | null;
    notes: string[];
  }> {
    if (write.kind === 'completion')
      return { operations: null, mapVersionId: null, mapVersion: null, notes: [] };
    const { plan } = await this.plans.plan(write.tenantId, {
      kind: 'intent',
      intent: write.intent,
      callId: write.callId,
      now: new Date(write.payload.now),
      value: write.payload.value,
      caller: write.payload.caller,
      payload: write.payload.payload,
      records: { ...write.payload.records, ...write.recordIds },
    });
    if (plan.problems.length > 0) {
      throw new DomainError(
        OperationsErrorCode.ReplayPlanInvalid,
        `The current map cannot plan this write: ${plan.problems.map((p) => p.message).join('; ')}`,
        plan.problems,
      );
    }
    return {
      operations: plan.operations,
      mapVersionId: plan.mapVersionId,
      mapVersion: plan.mapVersion,
      notes: plan.notes,
    };
  }
}
