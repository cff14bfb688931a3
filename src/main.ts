import 'reflect-metadata';
import { createApiApp } from './bootstrap/create-api-app';
import { appConfig } from './config/app.config';
import { databaseConfig } from './config/database.config';
import { ensureDevelopmentOperatorKey } from './config/security.config';
import { validateEnvironment } from './config/validate-environment';
import { ensureDatabaseExists } from './database/ensure-database';

/** The API process. */
async function bootstrap(): Promise<void> {
  validateEnvironment(process.env);
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
