import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { writesConfig } from '../../config/writes.config';
import { PreparedStatements } from '../../database/prepared-statements';
import { MappingModule } from '../mapping';
import { SalesforceModule } from '../salesforce/salesforce.module';
import { CallsController } from './controllers/calls.controller';
import { LookupController } from './controllers/lookup.controller';
import { WritesController } from './controllers/writes.controller';
import { WriteAttempt } from './entities/write-attempt.entity';
import { Write } from './entities/write.entity';
import { LookupService } from './lookup/lookup.service';
import { CallCache } from './services/call-cache';
import { IntentWritesService } from './services/intent-writes.service';
import { OperationSender } from './services/operation-sender';
import { WriteExecutor } from './services/write-executor';
import { WriteOutbox } from './services/write-outbox';
import { WriteQueue } from './services/write-queue';

/**
 * The mid-call write path (agent API): caller lookup, intents, call completion, the outbox and the composite
 * sender. Queued work is sent by WriteJobsModule, which only the worker process loads.
 */
@Module({
  imports: [
    ConfigModule.forFeature(writesConfig),
    TypeOrmModule.forFeature([Write, WriteAttempt]),
    SalesforceModule,
    MappingModule,
  ],
  controllers: [LookupController, CallsController, WritesController],
  providers: [
    PreparedStatements,
    LookupService,
    CallCache,
    WriteOutbox,
    OperationSender,
    WriteQueue,
    WriteExecutor,
    IntentWritesService,
  ],
  exports: [
    CallCache,
    WriteOutbox,
    OperationSender,
    WriteQueue,
    WriteExecutor,
    LookupService,
    IntentWritesService,
  ],
})
export class WritesModule {}
