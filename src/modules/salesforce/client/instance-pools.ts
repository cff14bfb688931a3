import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Pool } from 'undici';
import type { SalesforceConfig } from '../../../config/salesforce.config';
import { PoolRequestOptions, PoolTransport } from './pool-transport';

const KEEP_ALIVE_MS = 60_000;
const WARM_TIMEOUT_MS = 3_000;

export interface PoolSockets {
  host: string;
  inUse: number;
  idle: number;
  pending: number;
}

/** One undici keep-alive pool per Salesforce host (each instance, each login host), shared by every tenant on it. */
@Injectable()
export class InstancePools implements OnModuleDestroy {
  private readonly logger = new Logger(InstancePools.name);
  private readonly pools = new Map<string, Pool>();
  private readonly config: SalesforceConfig;

  constructor(config: ConfigService) {
    this.config = config.getOrThrow<SalesforceConfig>('salesforce');
  }

  transport(baseUrl: string, bound?: PoolRequestOptions): PoolTransport {
    return new PoolTransport(this.pool(baseUrl), bound);
  }

  /**
   * Opens keep-alive sockets ahead of the first real call (TCP and TLS set-up is the cold-start cost), with
   * `GET /services/data/`: unauthenticated and not counted against the org's API allowance.
   */
  async warm(baseUrl: string, sockets = this.config.poolWarmSockets): Promise<void> {
    const pool = this.pool(baseUrl);
    const results = await Promise.allSettled(
      Array.from({ length: sockets }, async () => {
        const response = await pool.request({
          path: '/services/data/',
          method: 'GET',
          signal: AbortSignal.timeout(WARM_TIMEOUT_MS),
        });
        await response.body.dump();
      }),
    );
    // undici marks a socket free again one tick after its response ends; resolve only once it is reusable.
    await new Promise((resolve) => setImmediate(resolve));
    const failed = results.filter((result) => result.status === 'rejected').length;
    if (failed > 0) this.logger.warn({ host: new URL(baseUrl).host, failed }, 'pool warm-up incomplete');
  }

  sockets(): PoolSockets[] {
    return [...this.pools].map(([origin, pool]) => ({
      host: new URL(origin).host,
      inUse: pool.stats.connected - pool.stats.free,
      idle: pool.stats.free,
      pending: pool.stats.pending,
    }));
  }

  async onModuleDestroy(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(pools.map((pool) => pool.close()));
  }

  private pool(baseUrl: string): Pool {
    const origin = new URL(baseUrl).origin;
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.config.poolConnections,
        keepAliveTimeout: KEEP_ALIVE_MS,
        keepAliveMaxTimeout: KEEP_ALIVE_MS * 10,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}
