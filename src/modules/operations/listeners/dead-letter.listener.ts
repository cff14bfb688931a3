import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { WriteFailedEvent, WritesEvents } from '../../writes/events/writes.events';
import { DeadLettersService } from '../services/dead-letters.service';

/** A write marked dead becomes a dead letter (the outbox sweep catches any this misses). */
@Injectable()
export class DeadLetterListener {
  private readonly logger = new Logger(DeadLetterListener.name);

  constructor(private readonly deadLetters: DeadLettersService) {}

  @OnEvent(WritesEvents.WriteFailed)
  async onWriteFailed(event: WriteFailedEvent): Promise<void> {
    try {
      await this.deadLetters.recordFromWrite(event.writeId, event.details.errorClass);
    } catch (error) {
      this.logger.error(
        { err: error, writeId: event.writeId },
        'dead letter not recorded yet; the sweep will',
      );
    }
  }
}
