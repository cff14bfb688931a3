import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where audit entries become durable together with the change they describe (one statement or transaction),
 * before the audit module chains them into the append-only `audit_log`. Rows leave the journal only in the
 * transaction that inserts them into the chain.
 */
export class CreateAuditJournal1764000012000 implements MigrationInterface {
  name = 'CreateAuditJournal1764000012000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_journal (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        action varchar(100) NOT NULL,
        actor jsonb NOT NULL,
        request_id varchar(128),
        subject_type varchar(50),
        subject_id varchar(100),
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        occurred_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_journal`);
  }
}
