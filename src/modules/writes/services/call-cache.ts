import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Queue } from 'bull';
import type { RedisConfig } from '../../../config/redis.config';
import type { WritesConfig } from '../../../config/writes.config';
import { QueueName } from '../../queue/queue-names';
import type { LookupResult } from '../lookup/lookup-request';
import { within } from './bounded';

/** Redis is a cache here: a slow or absent Redis costs a lookup, never a call. */
const REDIS_BUDGET_MS = 150;
const LOOKUP_FIELD = 'lookup';
const RECORD_PREFIX = 'rec:';

export interface CallCacheEntry {
  lookup?: LookupResult;
  /** Record ids the call knows, by object: the lookup's match and what earlier writes of the call wrote. */
  records: Record<string, string>;
}

/**
 * What one call has learnt, shared by every API instance and the worker through Redis: its lookup answer and
 * the record ids its writes produced. One hash per call, expiring `CALL_CACHE_TTL_SECONDS` after the last write.
 */
@Injectable()
export class CallCache {
  private readonly logger = new Logger(CallCache.name);
  private readonly prefix: string;
  private readonly ttlSeconds: number;

  constructor(
    @InjectQueue(QueueName.SalesforceWrites) private readonly queue: Queue,
    config: ConfigService,
  ) {
    this.prefix = `${config.getOrThrow<RedisConfig>('redis').queuePrefix}:call`;
    this.ttlSeconds = config.getOrThrow<WritesConfig>('writes').callCacheTtlSeconds;
  }

  private key(tenantId: string, callId: string): string {
    return `${this.prefix}:${tenantId}:${callId}`;
  }

  async get(tenantId: string, callId: string): Promise<CallCacheEntry> {
    const hash = await within(this.queue.client.hgetall(this.key(tenantId, callId)), REDIS_BUDGET_MS, {});
    const records: Record<string, string> = {};
    let lookup: LookupResult | undefined;
    for (const [field, value] of Object.entries(hash ?? {})) {
      if (field.startsWith(RECORD_PREFIX)) records[field.slice(RECORD_PREFIX.length)] = value;
      else if (field === LOOKUP_FIELD) lookup = parseLookup(value);
    }
    return { lookup, records };
  }

  /** Stores the lookup and the records it makes known; records written later win over the lookup's. */
  async putLookup(
    tenantId: string,
    callId: string,
    lookup: LookupResult,
    records: Record<string, string>,
  ): Promise<void> {
    const key = this.key(tenantId, callId);
    const fields: Record<string, string> = { [LOOKUP_FIELD]: JSON.stringify(lookup) };
    const pipeline = this.queue.client.pipeline().hset(key, fields);
    for (const [object, id] of Object.entries(records)) pipeline.hsetnx(key, `${RECORD_PREFIX}${object}`, id);
    await this.run(pipeline.expire(key, this.ttlSeconds).exec());
  }

  async putRecords(tenantId: string, callId: string, records: Record<string, string>): Promise<void> {
    if (Object.keys(records).length === 0) return;
    const key = this.key(tenantId, callId);
    const fields = Object.fromEntries(
      Object.entries(records).map(([object, id]) => [`${RECORD_PREFIX}${object}`, id]),
    );
    await this.run(this.queue.client.pipeline().hset(key, fields).expire(key, this.ttlSeconds).exec());
  }

  private async run(promise: Promise<unknown>): Promise<void> {
    const done = await within(
      promise.then(() => true),
      REDIS_BUDGET_MS,
      false,
    );
    if (!done) this.logger.warn('call cache not updated (Redis slow or unreachable)');
  }
}

function parseLookup(text: string): LookupResult | undefined {
  try {
    return JSON.parse(text) as LookupResult;
  } catch {
    return undefined;
  }
}
