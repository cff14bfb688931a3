import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only audit log (stack-notes §5): triggers refuse UPDATE, DELETE and TRUNCATE even under
 * session_replication_role = replica (ENABLE ALWAYS), and the application role may only read and insert.
 *
 * The application role `aicall_app` is a group role: a deployment makes its service login a member of it and
 * runs migrations as the owner, so the service cannot disable the triggers of a table it does not own.
 */
export class CreateAuditLog1764000003000 implements MigrationInterface {
  name = 'CreateAuditLog1764000003000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'aicall_app') THEN CREATE ROLE aicall_app NOLOGIN; END IF;
      END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO aicall_app`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO aicall_app`,
    );
    await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO aicall_app`);
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO aicall_app`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO aicall_app`,
    );

    await queryRunner.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        tenant_id uuid NOT NULL,
        seq integer NOT NULL,
        action varchar(100) NOT NULL,
        actor jsonb NOT NULL,
        request_id varchar(128),
        subject_type varchar(50),
        subject_id varchar(100),
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        occurred_at timestamptz NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        CONSTRAINT audit_log_tenant_seq_unique UNIQUE (tenant_id, seq)
      )`);
    await queryRunner.query(
      `CREATE INDEX audit_log_tenant_occurred_idx ON audit_log (tenant_id, occurred_at)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
    await queryRunner.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_update_delete`);
    await queryRunner.query(`ALTER TABLE audit_log ENABLE ALWAYS TRIGGER audit_log_no_truncate`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC, aicall_app`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_log`);
    await queryRunner.query(`DROP FUNCTION audit_log_refuse_change()`);
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM aicall_app`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM aicall_app`,
    );
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM aicall_app`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM aicall_app`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM aicall_app`);
  }
}
