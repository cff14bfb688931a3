import { registerAs } from '@nestjs/config';
import { IsIn, IsOptional } from 'class-validator';

export class QueueBoardEnvironment {
  /** `true` lets the operator retry, clean, promote and remove jobs from the queue board; read-only otherwise. */
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'QUEUE_BOARD_ACTIONS must be true or false' })
  QUEUE_BOARD_ACTIONS?: string;
}

export const queueBoardConfig = registerAs('queueBoard', () => ({
  actionsAllowed: process.env.QUEUE_BOARD_ACTIONS === 'true',
}));
export type QueueBoardConfig = ReturnType<typeof queueBoardConfig>;
