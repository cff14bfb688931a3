import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Counter } from 'prom-client';
import { type DeadLetteredEvent, OperationsEvents } from '../../operations/events/operations.events';
import {
  type WriteAttemptRecordedEvent,
  type WriteFailedEvent,
  WritesEvents,
  type WriteWrittenEvent,
} from '../../writes/events/writes.events';
import { MetricsService } from '../metrics.service';

/**
 * Counters of the write path, fed by its domain events only (no module calls metrics). Labels stay bounded:
 * outcomes, error classes and Salesforce error codes, never tenants, calls or intents.
 */
@Injectable()
export class WriteMetricsListener {
  private readonly writes: Counter<'outcome'>;
  private readonly attempts: Counter<'via' | 'outcome' | 'error_class'>;
  private readonly deadLetters: Counter<'error_code'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.writes = new Counter({
      name: 'aicall_writes_total',
      help: 'Writes finished, by outcome: written, or dead (dead-lettered)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.attempts = new Counter({
      name: 'aicall_write_attempts_total',
      help: 'Attempts at sending a write, by where they ran (in-call, queued), outcome and error class; a failed attempt is retried unless the write dies',
      labelNames: ['via', 'outcome', 'error_class'] as const,
      registers,
    });
    this.deadLetters = new Counter({
      name: 'aicall_dead_letters_total',
      help: 'Writes dead-lettered (stored for a human to replay), by the final error code',
      labelNames: ['error_code'] as const,
      registers,
    });
  }

  @OnEvent(WritesEvents.WriteWritten)
  written(_event: WriteWrittenEvent): void {
    this.writes.inc({ outcome: 'written' });
  }

  @OnEvent(WritesEvents.WriteFailed)
  dead(_event: WriteFailedEvent): void {
    this.writes.inc({ outcome: 'dead' });
  }

  @OnEvent(WritesEvents.AttemptRecorded)
  attempt(event: WriteAttemptRecordedEvent): void {
    const { via, outcome, errorClass } = event.details;
    this.attempts.inc({ via, outcome, error_class: errorClass ?? 'none' });
  }

  @OnEvent(OperationsEvents.DeadLettered)
  deadLettered(event: DeadLetteredEvent): void {
    this.deadLetters.inc({ error_code: event.errorCode });
  }
}
