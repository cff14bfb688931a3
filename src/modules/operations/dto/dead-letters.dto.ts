import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import type { DeadLetterStatus } from '../entities/dead-letter.entity';
import { type AttemptSnapshot, DEAD_LETTER_STATUSES, DeadLetter } from '../entities/dead-letter.entity';

export class DeadLettersQuery {
  @ApiPropertyOptional({ enum: DEAD_LETTER_STATUSES })
  @IsOptional()
  @IsIn(DEAD_LETTER_STATUSES)
  status?: DeadLetterStatus;
}

export class ReplayManyRequest {
  @ApiProperty({ type: [String], description: 'dead-letter ids of this tenant (1-500)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  ids: string[];
}

export class DeadLetterView {
  @ApiProperty() id: string;
  @ApiProperty() writeId: string;
  @ApiProperty() intent: string;
  @ApiProperty() callId: string;
  @ApiProperty({ enum: DEAD_LETTER_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) errorClass: string | null;
  @ApiProperty() errorCode: string;
  @ApiProperty() errorMessage: string;
  @ApiProperty({ description: 'number of attempts made' }) attempts: number;
  @ApiProperty() replays: number;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) replayedAt: string | null;

  static from(deadLetter: DeadLetter): DeadLetterView {
    return {
      id: deadLetter.id,
      writeId: deadLetter.writeId,
      intent: deadLetter.intent,
      callId: deadLetter.callId,
      status: deadLetter.status,
      errorClass: deadLetter.errorClass,
      errorCode: deadLetter.errorCode,
      errorMessage: deadLetter.errorMessage,
      attempts: deadLetter.attempts.length,
      replays: deadLetter.replays,
      createdAt: deadLetter.createdAt.toISOString(),
      replayedAt: deadLetter.replayedAt?.toISOString() ?? null,
    };
  }
}

export class DeadLetterDetailView extends DeadLetterView {
  @ApiProperty({ description: "the write's original input" }) payload: unknown;
  @ApiProperty({ nullable: true, type: Number }) mapVersion: number | null;
  @ApiProperty({ nullable: true, type: String }) mapVersionId: string | null;
  @ApiProperty({ description: 'every attempt, oldest first' }) attemptLog: AttemptSnapshot[];

  static fromDetail(deadLetter: DeadLetter): DeadLetterDetailView {
    return {
      ...DeadLetterView.from(deadLetter),
      payload: deadLetter.payload,
      mapVersion: deadLetter.mapVersion,
      mapVersionId: deadLetter.mapVersionId,
      attemptLog: deadLetter.attempts,
    };
  }
}

export class DeadLetterListView {
  @ApiProperty({ type: [DeadLetterView] }) deadLetters: DeadLetterView[];
}

export class ReplayAccepted {
  @ApiProperty() writeId: string;
}

export class ReplayManyAccepted {
  @ApiProperty({
    description: 'dead letters replayed by this request (already replayed ones are not counted)',
  })
  replayed: number;
  @ApiProperty({ type: [String] }) writeIds: string[];
}
