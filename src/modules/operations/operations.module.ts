import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { operationsConfig } from '../../config/operations.config';
import { MappingModule } from '../mapping';
import { WritesModule } from '../writes/writes.module';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLetter } from './entities/dead-letter.entity';
import { DeadLetterListener } from './listeners/dead-letter.listener';
import { DeadLettersService } from './services/dead-letters.service';

/**
 * Failure handling (admin): dead letters recorded from dead writes, listed and replayed. The alert processor
 * and the outbox sweep run only in the worker (OperationsJobsModule).
 */
@Module({
  imports: [
    ConfigModule.forFeature(operationsConfig),
    TypeOrmModule.forFeature([DeadLetter]),
    WritesModule,
    MappingModule,
  ],
  controllers: [DeadLettersController],
  providers: [DeadLettersService, DeadLetterListener],
  exports: [DeadLettersService],
})
export class OperationsModule {}
