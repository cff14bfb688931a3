/** Codes the Salesforce module answers with: connecting an org, and a Salesforce failure reaching a route. */
export enum SalesforceErrorCode {
  /** A Salesforce failure, by class (salesforce-error.ts). */
  Unavailable = 'SALESFORCE_UNAVAILABLE',
  RateLimited = 'SALESFORCE_RATE_LIMITED',
  AuthFailed = 'SALESFORCE_AUTH_FAILED',
  Rejected = 'SALESFORCE_REJECTED',
  /** Refusals before anything is sent. */
  NotConnected = 'SALESFORCE_NOT_CONNECTED',
  ReauthorizationRequired = 'SALESFORCE_REAUTHORIZATION_REQUIRED',
  ScopeInsufficient = 'SCOPE_INSUFFICIENT',
  /** Connecting and disconnecting. */
  ConnectFailed = 'SALESFORCE_CONNECT_FAILED',
  ConnectionMissing = 'NOT_CONNECTED',
  OAuthStateInvalid = 'OAUTH_STATE_INVALID',
  OAuthStateExpired = 'OAUTH_STATE_EXPIRED',
  OAuthCodeMissing = 'OAUTH_CODE_MISSING',
  ScopeNotGranted = 'SCOPE_NOT_GRANTED',
  LoginUrlInvalid = 'LOGIN_URL_INVALID',
  MyDomainRequired = 'MY_DOMAIN_REQUIRED',
  RegionUnknown = 'REGION_UNKNOWN',
  RegionNotServed = 'REGION_NOT_SERVED',
  RegionMisdirected = 'REGION_MISDIRECTED',
}
