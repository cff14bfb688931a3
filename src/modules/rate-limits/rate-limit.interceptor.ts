import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { from, Observable, switchMap } from 'rxjs';
import type { AuthenticatedRequest } from '../../common/auth/current-principal.decorator';
import { DomainError } from '../../common/errors/domain-error';
import { RequestRateLimiter } from './request-rate-limiter';

/**
 * Applies the per-key limit to every authenticated request. An interceptor, because interceptors run after
 * every guard: the API-key guard has already said which key (and tenant) is calling. Public routes (health,
 * metrics, OAuth callback) carry no key and are not counted.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(private readonly limiter: RequestRateLimiter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) return next.handle();
    return from(this.limiter.consume(principal)).pipe(
      switchMap((verdict) => {
        if (verdict.allowed) return next.handle();
        void context
          .switchToHttp()
          .getResponse<FastifyReply>()
          .header('Retry-After', verdict.retryAfterSeconds);
        throw new DomainError(
          429,
          'RATE_LIMITED',
          `This key made more than ${verdict.limit} requests in the current window; retry after ${verdict.retryAfterSeconds} s`,
        );
      }),
    );
  }
}
