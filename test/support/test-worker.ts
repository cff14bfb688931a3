import type { INestApplicationContext } from '@nestjs/common';
import { createWorkerApp } from '../../src/bootstrap/create-worker-app';

export interface TestWorker {
  app: INestApplicationContext;
  close(): Promise<void>;
}

/**
 * A real worker process context beside a test app: started after `startTestApp` (or `startConnectedTenant`), it
 * shares that app's environment (its database and queue prefix) and runs the queued jobs the API never runs.
 * Close it before the app.
 */
export async function startTestWorker(): Promise<TestWorker> {
  const app = await createWorkerApp();
  return {
    app,
    async close() {
      await app.close();
    },
  };
}
