import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { DomainError } from '../../../common/errors/domain-error';
import type { SecurityConfig } from '../../../config/security.config';
import { bearerKeyOf, matchesSecret } from '../api-key-secrets';
import { ApiKeysService } from '../api-keys.service';
import type { AuthenticatedRequest } from '../../../common/auth/current-principal.decorator';
import { PUBLIC_METADATA, ROLES_METADATA } from '../../../common/auth/roles.decorator';
import type { Principal, Role } from '../../../common/auth/principal';
import { CommonErrorCode } from '../../../common/errors/common-error-code';
import { TenancyErrorCode } from '../tenancy-error-code';

/**
 * The global guard: every route declares @Roles(...) or @Public(). A route that declares neither is refused
 * (fail closed), so a forgotten decorator can never open a route.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly operatorKey: string | undefined;

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    config: ConfigService,
  ) {
    this.operatorKey = config.getOrThrow<SecurityConfig>('security').operatorApiKey;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_METADATA, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_METADATA, targets);
    if (!allowed?.length)
      throw new DomainError(TenancyErrorCode.RouteNotDeclared, 'This route declares no role');

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(request.headers.authorization);
    if (!allowed.includes(principal.role)) {
      throw new DomainError(
        TenancyErrorCode.ForbiddenRole,
        `This route needs one of the roles: ${allowed.join(', ')}`,
      );
    }
    request.principal = principal;
    return true;
  }

  private async authenticate(authorization: string | undefined): Promise<Principal> {
    const key = bearerKeyOf(authorization);
    if (!key)
      throw new DomainError(
        CommonErrorCode.Unauthenticated,
        'Send an API key as "Authorization: Bearer <key>"',
      );
    if (this.operatorKey && matchesSecret(key, this.operatorKey)) return { role: 'operator' };
    const apiKey = await this.apiKeys.findActiveBySecret(key);
    if (!apiKey) throw new DomainError(CommonErrorCode.Unauthenticated, 'The API key is unknown or revoked');
    return { role: apiKey.role, tenantId: apiKey.tenantId, keyId: apiKey.id };
  }
}
