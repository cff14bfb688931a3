import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditAppender } from './audit-appender';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditEntry } from './entities/audit-entry.entity';
import { DomainEventsAuditListener } from './listeners/domain-events-audit.listener';

/** The immutable audit log: fed only by domain events, read through /v1/audit. Nothing imports it. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry])],
  controllers: [AuditController],
  providers: [AuditService, AuditAppender, DomainEventsAuditListener],
})
export class AuditModule {}
