import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** One name per text for the whole process: every instance shares the pool's connections. */
const STATEMENT_NAMES = new Map<string, string>();

/**
 * The hot path's statements as named prepared statements on TypeORM's own pool: Postgres parses and plans each
 * text once per connection instead of once per call, and the query skips TypeORM's query runner. Texts are
 * named in the order this process first sends them; a text's parameters may differ, its shape may not.
 */
@Injectable()
export class PreparedStatements {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async query<Row>(text: string, values: unknown[]): Promise<Row[]> {
    let name = STATEMENT_NAMES.get(text);
    if (!name) {
      name = `aicall_${STATEMENT_NAMES.size}`;
      STATEMENT_NAMES.set(text, name);
    }
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const result = await pool.query<Row & object>({ name, text, values });
    return result.rows;
  }
}
