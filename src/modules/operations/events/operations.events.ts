import type { Actor } from '../../../common/auth/principal';
export { SYSTEM_ACTOR } from '../../../common/auth/principal';

/** Domain events of failure handling; the audit log records each of them. */
export const OperationsEvents = {
  DeadLettered: 'operations.dead-letter.recorded',
  ReplayRequested: 'operations.dead-letter.replay-requested',
  AlertFailed: 'operations.alert.failed',
} as const;

export type OperationsActor = Actor;

export class DeadLetteredEvent {
  constructor(
    readonly tenantId: string,
    readonly deadLetterId: string,
    readonly actor: OperationsActor,
    readonly writeId: string,
    readonly intent: string,
    readonly errorCode: string,
    readonly deaths: number,
  ) {}
}

export class ReplayRequestedEvent {
  constructor(
    readonly tenantId: string,
    readonly deadLetterId: string,
    readonly actor: OperationsActor,
    readonly writeId: string,
    readonly mapVersion: number | null,
  ) {}
}

export class AlertFailedEvent {
  constructor(
    readonly tenantId: string,
    readonly deadLetterId: string,
    readonly actor: OperationsActor,
    readonly message: string,
  ) {}
}
