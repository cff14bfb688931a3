import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Tenant, TenantRegion } from './entities/tenant.entity';
import { TenancyEvents, TenantCreatedEvent } from './events/tenancy.events';
import type { Principal } from '../../common/auth/principal';
import { TenancyErrorCode } from './tenancy-error-code';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class TenantsService {
  constructor(
    @InjectRepository(Tenant) private readonly tenants: Repository<Tenant>,
    private readonly events: EventEmitter2,
  ) {}

  async create(name: string, region: TenantRegion, actor: Principal): Promise<Tenant> {
    let tenant: Tenant;
    try {
      tenant = await this.tenants.save(this.tenants.create({ name: name.trim(), region }));
    } catch (error) {
      if (
        error instanceof QueryFailedError &&
        (error.driverError as { code?: string }).code === UNIQUE_VIOLATION
      ) {
        throw new DomainError(
          TenancyErrorCode.TenantExists,
          `A tenant named "${name.trim()}" already exists`,
        );
      }
      throw error;
    }
    this.events.emit(
      TenancyEvents.TenantCreated,
      new TenantCreatedEvent(tenant.id, tenant.name, region, actor),
    );
    return tenant;
  }

  list(): Promise<Tenant[]> {
    return this.tenants.find({ order: { createdAt: 'ASC' } });
  }

  async get(tenantId: string): Promise<Tenant> {
    const tenant = await this.tenants.findOneBy({ id: tenantId });
    if (!tenant) throw new NotFoundError('Tenant');
    return tenant;
  }
}
