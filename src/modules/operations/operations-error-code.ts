/** Codes the operations module answers with (dead letters, replay). */
export enum OperationsErrorCode {
  ReplayPlanInvalid = 'REPLAY_PLAN_INVALID',
}
