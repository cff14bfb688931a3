import { applyDecorators, CanActivate, ExecutionContext, Injectable, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiResponse } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../../../common/auth/current-principal.decorator';
import { DomainError } from '../../../common/errors/domain-error';
import type { SalesforceConfig } from '../../../config/salesforce.config';
import { ConnectionsService } from '../connections.service';
import { SalesforceErrorCode } from '../salesforce-error-code';

/**
 * Region pinning for tenant routes: a tenant whose org lives in a region this deployment does not serve is
 * answered 421 REGION_MISDIRECTED, naming the region whose deployment serves it. Runs after the global key
 * guard, so the caller is known.
 */
@Injectable()
export class RegionGuard implements CanActivate {
  private readonly servedRegions: readonly string[];

  constructor(
    private readonly connections: ConnectionsService,
    config: ConfigService,
  ) {
    this.servedRegions = config.getOrThrow<SalesforceConfig>('salesforce').deploymentRegions;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal || principal.role === 'operator') return true;
    const region = await this.connections.servingRegionFor(principal.tenantId);
    if (this.servedRegions.includes(region)) return true;
    throw new DomainError(
      SalesforceErrorCode.RegionMisdirected,
      `This tenant is served by the ${region} deployment; this one serves ${this.servedRegions.join(', ')}`,
    );
  }
}

/** Put on agent routes: refuses tenants of regions this deployment does not serve (421). */
export const ServedRegionOnly = () =>
  applyDecorators(
    UseGuards(RegionGuard),
    ApiResponse({ status: 421, description: 'REGION_MISDIRECTED: another region serves this tenant' }),
  );
