import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';

/** Counters of pg_stat_database for one database. */
export interface DatabaseActivity {
  commits: number;
  rowsChanged: number;
}

/**
 * An idle backend publishes its statistics up to 10 s late (PostgreSQL 15's idle flush interval), so a reading
 * waits that long for the last transactions of the phase to show.
 */
const STATISTICS_SETTLE_MS = 11_000;

/** Transactions committed and rows inserted + updated + deleted so far in the database of `databaseUrl`. */
export async function databaseActivity(databaseUrl: string): Promise<DatabaseActivity> {
  await sleep(STATISTICS_SETTLE_MS);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ commits: string; rows_changed: string }>(
      `SELECT xact_commit AS commits, tup_inserted + tup_updated + tup_deleted AS rows_changed
         FROM pg_stat_database WHERE datname = current_database()`,
    );
    // The reading counts as one commit itself: one in thousands, left in.
    return { commits: Number(rows[0].commits), rowsChanged: Number(rows[0].rows_changed) };
  } finally {
    await client.end();
  }
}

/**
 * VACUUM ANALYZE of the run's database after the warm-up: what autovacuum does in production once tables have
 * changed that much. Without it (this machine's Postgres runs with autovacuum off) the planner keeps the plans it
 * made for empty tables (a prepared statement's generic plan is made once, when the table was empty, and never
 * revisited), and the load runs on them. Returns whether the server itself has autovacuum on.
 */
export async function vacuumAnalyze(databaseUrl: string): Promise<{ autovacuum: boolean }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE');
    const { rows } = await client.query<{ setting: string }>(
      "SELECT current_setting('autovacuum') AS setting",
    );
    return { autovacuum: rows[0].setting === 'on' };
  } finally {
    await client.end();
  }
}
