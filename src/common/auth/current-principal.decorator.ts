import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal, TenantPrincipal } from './principal';

export interface AuthenticatedRequest extends FastifyRequest {
  principal?: Principal;
}

/** The caller as the guard authenticated it. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);

/** The calling key's tenant; only on routes limited to admin and agent keys. */
export const CurrentTenant = createParamDecorator(
  (_data: unknown, context: ExecutionContext): TenantPrincipal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal || principal.role === 'operator') {
      throw new Error('CurrentTenant used on a route open to non-tenant callers');
    }
    return principal;
  },
);
