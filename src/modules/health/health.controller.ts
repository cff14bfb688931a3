import { getQueueToken } from '@nestjs/bull';
import { Controller, Get, OnModuleInit, ServiceUnavailableException } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Queue } from 'bull';
import { Public } from '../../common/auth/roles.decorator';
import { DomainError } from '../../common/errors/domain-error';
import { ALL_QUEUES } from '../queue/queue-names';
import { QueueHealthIndicator } from './queue.health';
import { HealthErrorCode } from './health-error-code';

/** Each dependency check gets this long before it counts as down, so a probe never hangs. */
const CHECK_TIMEOUT_MS = 1500;

@ApiTags('service')
@Public()
@Controller('health')
export class HealthController implements OnModuleInit {
  private queues: Queue[] = [];

  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly queueHealth: QueueHealthIndicator,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    this.queues = ALL_QUEUES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: Postgres, Redis and every queue answer; 503 naming what is down' })
  async ready(): Promise<HealthCheckResult> {
    const [firstQueue] = this.queues;
    try {
      return await this.health.check([
        () => this.database.pingCheck('postgres', { timeout: CHECK_TIMEOUT_MS }),
        () => this.queueHealth.pingRedis('redis', firstQueue, CHECK_TIMEOUT_MS),
        ...this.queues.map((queue) => () => this.queueHealth.checkQueue(queue, CHECK_TIMEOUT_MS)),
      ]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException)
        throw notReady(error.getResponse() as HealthCheckResult);
      throw error;
    }
  }
}

/** Terminus's failure, in the service's error envelope: one problem per dependency that is down. */
function notReady(result: HealthCheckResult): DomainError {
  const down = Object.entries(result.error ?? {});
  const problems = down.map(([name, detail]) => ({
    field: name,
    code: 'DOWN',
    message: `${name} is down${typeof detail?.message === 'string' ? `: ${detail.message}` : ''}`,
  }));
  return new DomainError(
    HealthErrorCode.NotReady,
    `Not ready: ${down.map(([name]) => name).join(', ')}`,
    problems,
  );
}
