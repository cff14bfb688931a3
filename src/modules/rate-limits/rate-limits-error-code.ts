/** Codes the rate limits answer with. */
export enum RateLimitsErrorCode {
  RateLimited = 'RATE_LIMITED',
}
