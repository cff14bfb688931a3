import type { Principal } from '../../../common/auth/principal';

/** Domain events of failure handling; the audit log records each of them. */
export const OperationsEvents = {
  DeadLettered: 'operations.dead-letter.recorded',
  ReplayRequested: 'operations.dead-letter.replay-requested',
  AlertFailed: 'operations.alert.failed',
} as const;

export type OperationsActor = Principal | { role: 'system' };
export const SYSTEM_ACTOR: OperationsActor = { role: 'system' };

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
