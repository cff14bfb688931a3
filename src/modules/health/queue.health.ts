import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Queue } from 'bull';

@Injectable()
export class QueueHealthIndicator {
  constructor(private readonly indicators: HealthIndicatorService) {}

  /** Redis answers a PING on the queue's own connection (stack-notes §4). */
  async pingRedis(key: string, queue: Queue, timeoutMs: number): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(queue.client.ping(), timeoutMs);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: describe(error) });
    }
  }

  /** The queue is connected and can report its counts. */
  async checkQueue(queue: Queue, timeoutMs: number): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(`queue:${queue.name}`);
    try {
      const counts = await withTimeout(queue.getJobCounts(), timeoutMs);
      return indicator.up({ waiting: counts.waiting, delayed: counts.delayed, failed: counts.failed });
    } catch (error) {
      return indicator.down({ message: describe(error) });
    }
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
