import { Module } from '@nestjs/common';
import { AppModule } from './app.module';
import { QueueBoardModule } from './modules/queue-board/queue-board.module';
import { RateLimitsModule } from './modules/rate-limits/rate-limits.module';

/** The API process: everything both processes share, plus what only an HTTP server offers or needs. */
@Module({
  imports: [AppModule, QueueBoardModule, RateLimitsModule],
})
export class ApiModule {}
