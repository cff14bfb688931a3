import { Module } from '@nestjs/common';
import { AuditModule } from './audit.module';
import { AuditChainingJob } from './jobs/audit-chaining.job';

/** The worker's side of the audit log: chaining the journal periodically; never loaded by the API process. */
@Module({
  imports: [AuditModule],
  providers: [AuditChainingJob],
})
export class AuditJobsModule {}
