import { getQueueToken } from '@nestjs/bull';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { type BullBoardInstance, BullBoardModule, InjectBullBoard } from '@bull-board/nestjs';
import { Module, OnModuleInit } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import type { FastifyInstance } from 'fastify';
import { type QueueBoardConfig, queueBoardConfig } from '../../config/queue-board.config';
import type { SecurityConfig } from '../../config/security.config';
import { ALL_QUEUES } from '../queue/queue-names';
import { operatorGate } from './operator-gate';

export const QUEUE_BOARD_ROUTE = '/admin/queues';

/**
 * Bull Board at /admin/queues: every queue of the registry, for the operator only (operatorGate guards every
 * route under the prefix, the board's own included), read-only unless QUEUE_BOARD_ACTIONS=true.
 */
@Module({
  imports: [
    ConfigModule.forFeature(queueBoardConfig),
    BullBoardModule.forRoot({ route: QUEUE_BOARD_ROUTE, adapter: FastifyAdapter }),
  ],
})
export class QueueBoardModule implements OnModuleInit {
  constructor(
    @InjectBullBoard() private readonly board: BullBoardInstance,
    private readonly moduleRef: ModuleRef,
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: ConfigService,
  ) {}

  onModuleInit(): void {
    const { actionsAllowed } = this.config.getOrThrow<QueueBoardConfig>('queueBoard');
    for (const name of ALL_QUEUES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      this.board.addQueue(new BullAdapter(queue, { readOnlyMode: !actionsAllowed }));
    }
    const operatorKey = this.config.getOrThrow<SecurityConfig>('security').operatorApiKey;
    this.adapterHost.httpAdapter
      .getInstance<FastifyInstance>()
      .addHook('onRequest', operatorGate(QUEUE_BOARD_ROUTE, operatorKey));
  }
}
