import { Module } from '@nestjs/common';
import { AppModule } from './app.module';
import { AuditJobsModule } from './modules/audit/audit-jobs.module';
import { OperationsJobsModule } from './modules/operations/operations-jobs.module';
import { WriteJobsModule } from './modules/writes/write-jobs.module';

/** The worker process: everything the API has, plus the job processors and the outbox sweep (the API process never runs jobs). */
@Module({
  imports: [AppModule, WriteJobsModule, OperationsJobsModule, AuditJobsModule],
})
export class WorkerModule {}
