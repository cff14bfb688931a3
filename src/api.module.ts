import { Module } from '@nestjs/common';
import { AppModule } from './app.module';
import { QueueBoardModule } from './modules/queue-board/queue-board.module';

/** The API process: everything both processes share, plus what only an HTTP server can offer. */
@Module({
  imports: [AppModule, QueueBoardModule],
})
export class ApiModule {}
