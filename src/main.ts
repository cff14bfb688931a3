import 'reflect-metadata';
import { appConfig } from './config/app.config';
import { databaseConfig } from './config/database.config';
import { ensureDevelopmentOperatorKey } from './config/security.config';
import { createApiApp } from './bootstrap/create-api-app';
import { ensureDatabaseExists } from './database/ensure-database';

async function bootstrap(): Promise<void> {
  ensureDevelopmentOperatorKey();
  const database = databaseConfig();
  await ensureDatabaseExists(database.url, database.createIfMissing);
  const app = await createApiApp();
  await app.listen({ port: appConfig().port, host: '0.0.0.0' });
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
