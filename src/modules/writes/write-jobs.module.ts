import { Module } from '@nestjs/common';
import { MappingModule } from '../mapping';
import { SalesforceModule } from '../salesforce/salesforce.module';
import { SendWriteProcessor } from './jobs/send-write.processor';
import { WriteRunner } from './services/write-runner';
import { WritesModule } from './writes.module';

/** The worker's job processors for the write queue; never loaded by the API process. */
@Module({
  imports: [WritesModule, SalesforceModule, MappingModule],
  providers: [WriteRunner, SendWriteProcessor],
})
export class WriteJobsModule {}
