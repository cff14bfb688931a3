import { Module } from '@nestjs/common';
import { RequestRateLimiter } from './request-rate-limiter';

/** Per-key request limits of the HTTP API (the worker process does not load this module). */
@Module({
  providers: [RequestRateLimiter],
  exports: [RequestRateLimiter],
})
export class RateLimitsModule {}
