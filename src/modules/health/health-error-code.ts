/** Codes the health routes answer with. */
export enum HealthErrorCode {
  NotReady = 'NOT_READY',
}
