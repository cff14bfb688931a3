import { Client } from 'pg';

export class DatabaseMissingError extends Error {
  constructor(database: string) {
    super(
      `Database "${database}" does not exist. Create it (CREATE DATABASE "${database}") and run the migrations ` +
        `(npm run migration:run), or point DATABASE_URL at an existing database.`,
    );
    this.name = 'DatabaseMissingError';
  }
}

/**
 * Makes sure the database named in the URL exists before TypeORM connects: created on the spot in development,
 * a clear error in production (where creating databases is an operator's decision).
 */
export async function ensureDatabaseExists(databaseUrl: string, createIfMissing: boolean): Promise<void> {
  const target = new URL(databaseUrl);
  const database = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount) return;
    if (!createIfMissing) throw new DatabaseMissingError(database);
    await client.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** Drops a database (test clean-up); connections still open to it are ended first. */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const target = new URL(databaseUrl);
  const database = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const client = new Client({ connectionString: target.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
