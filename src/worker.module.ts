import { Module } from '@nestjs/common';
import { AppModule } from './app.module';
import { WriteJobsModule } from './modules/writes/write-jobs.module';

/** The worker process: everything the API has, plus the job processors (the API process never runs jobs). */
@Module({
  imports: [AppModule, WriteJobsModule],
})
export class WorkerModule {}
