import { Module } from '@nestjs/common';
import { MappingModule } from '../mapping';
import { SalesforceModule } from '../salesforce/salesforce.module';
import { SendWriteProcessor } from './jobs/send-write.processor';
import { StaleWriteSweeper } from './jobs/stale-write-sweeper';
import { WritesModule } from './writes.module';

/** The worker's side of the write queue: the job processor and the stale-write sweep; never loaded by the API. */
@Module({
  imports: [WritesModule, SalesforceModule, MappingModule],
  providers: [SendWriteProcessor, StaleWriteSweeper],
})
export class WriteJobsModule {}
