import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditChainer } from './audit-chainer';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { AuditEntry } from './entities/audit-entry.entity';
import { DomainEventsAuditListener } from './listeners/domain-events-audit.listener';

/**
 * The immutable audit log, read through /v1/audit. Nothing imports it: it records domain events, and chains the
 * entries that the write outbox journals itself, in the statement that changes the write.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry])],
  controllers: [AuditController],
  providers: [AuditService, AuditChainer, DomainEventsAuditListener],
  exports: [AuditChainer],
})
export class AuditModule {}
