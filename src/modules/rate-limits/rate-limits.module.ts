import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { RateLimitInterceptor } from './rate-limit.interceptor';
import { RequestRateLimiter } from './request-rate-limiter';

/** Per-key request limits of the HTTP API (the worker process does not load this module). */
@Module({
  providers: [RequestRateLimiter, { provide: APP_INTERCEPTOR, useClass: RateLimitInterceptor }],
})
export class RateLimitsModule {}
