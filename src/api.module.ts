import { Module } from '@nestjs/common';
import { AppModule } from './app.module';
import { RateLimitsModule } from './modules/rate-limits/rate-limits.module';

/** The API process: everything both processes share, plus what only an HTTP server needs. */
@Module({
  imports: [AppModule, RateLimitsModule],
})
export class ApiModule {}
