import { type Actor, SYSTEM_ACTOR } from '../../../common/auth/principal';
import type { AttemptOutcome, AttemptVia } from '../entities/write-attempt.entity';
import type { WriteKind } from '../entities/write.entity';

/** Domain events of the write path; audit, metrics and (for failures) dead letters and alerts listen. */
export const WritesEvents = {
  WriteRequested: 'writes.write.requested',
  AttemptRecorded: 'writes.attempt.recorded',
  WriteWritten: 'writes.write.written',
  WriteFailed: 'writes.write.failed',
  /** A dead write sent again by an admin's replay. */
  WriteReopened: 'writes.write.reopened',
} as const;

/** The agent key that asked, or the worker acting on its behalf later. */
export type WriteActor = Actor;
export const WORKER_ACTOR = SYSTEM_ACTOR;

export interface WriteRequestedDetails {
  callId: string;
  intent: string;
  kind: WriteKind;
  mode: 'critical' | 'deferred';
  mapVersionId: string | null;
  mapVersion: number | null;
  idempotencyKey: string | null;
}

export class WriteRequestedEvent {
  constructor(
    readonly tenantId: string,
    readonly writeId: string,
    readonly actor: WriteActor,
    readonly details: WriteRequestedDetails,
  ) {}
}

export interface AttemptRecordedDetails {
  callId: string;
  intent: string;
  operation: number;
  via: AttemptVia;
  outcome: AttemptOutcome;
  errorClass: string | null;
  errorCode: string | null;
  message: string | null;
  durationMs: number;
}

export class WriteAttemptRecordedEvent {
  constructor(
    readonly tenantId: string,
    readonly writeId: string,
    readonly actor: WriteActor,
    readonly details: AttemptRecordedDetails,
  ) {}
}

export interface WriteWrittenDetails {
  callId: string;
  intent: string;
  via: AttemptVia;
  records: Record<string, string>;
}

export class WriteWrittenEvent {
  constructor(
    readonly tenantId: string,
    readonly writeId: string,
    readonly actor: WriteActor,
    readonly details: WriteWrittenDetails,
  ) {}
}

/** The write is dead: a permanent refusal, or retries exhausted. The failure-handling issue dead-letters it. */
export interface WriteFailedDetails {
  callId: string;
  intent: string;
  errorClass: string | null;
  errorCode: string;
  message: string;
  attempts: number;
}

export class WriteFailedEvent {
  constructor(
    readonly tenantId: string,
    readonly writeId: string,
    readonly actor: WriteActor,
    readonly details: WriteFailedDetails,
  ) {}
}

export interface WriteReopenedDetails {
  callId: string;
  intent: string;
  /** The map version the replay planned with (null for a completion, planned again by its job). */
  mapVersion: number | null;
}

export class WriteReopenedEvent {
  constructor(
    readonly tenantId: string,
    readonly writeId: string,
    readonly actor: WriteActor,
    readonly details: WriteReopenedDetails,
  ) {}
}
