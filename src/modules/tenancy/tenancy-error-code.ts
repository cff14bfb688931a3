/** Codes the tenancy module answers with (tenants, API keys, roles). */
export enum TenancyErrorCode {
  TenantExists = 'TENANT_EXISTS',
  RouteNotDeclared = 'ROUTE_NOT_DECLARED',
  ForbiddenRole = 'FORBIDDEN_ROLE',
}
