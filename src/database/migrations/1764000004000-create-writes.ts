import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWrites1764000004000 implements MigrationInterface {
  name = 'CreateWrites1764000004000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE writes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        call_id varchar(128) NOT NULL,
        intent varchar(100) NOT NULL,
        kind varchar(20) NOT NULL,
        status varchar(20) NOT NULL,
        payload jsonb NOT NULL,
        operations jsonb,
        operations_done integer NOT NULL DEFAULT 0,
        map_version_id uuid,
        map_version integer,
        record_ids jsonb NOT NULL DEFAULT '{}',
        notes jsonb NOT NULL DEFAULT '[]',
        idempotency_key varchar(255),
        request_hash varchar(64),
        response jsonb,
        requested_by_key_id uuid,
        last_error_code varchar(100),
        last_error_message text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        written_at timestamptz,
        CONSTRAINT writes_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
        CONSTRAINT writes_tenant_idempotency_key_unique UNIQUE (tenant_id, idempotency_key)
      )`);
    await queryRunner.query(`CREATE INDEX writes_tenant_call_idx ON writes (tenant_id, call_id)`);
    // The failure-handling issue re-enqueues unfinished writes from here.
    await queryRunner.query(`CREATE INDEX writes_status_idx ON writes (status, updated_at)`);
    await queryRunner.query(`
      CREATE TABLE write_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        write_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        operation integer NOT NULL,
        via varchar(10) NOT NULL,
        outcome varchar(10) NOT NULL,
        error_class varchar(20),
        error_code varchar(100),
        error_message text,
        duration_ms integer NOT NULL,
        started_at timestamptz NOT NULL,
        CONSTRAINT write_attempts_write_id_fkey FOREIGN KEY (write_id) REFERENCES writes(id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX write_attempts_write_idx ON write_attempts (write_id, started_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE write_attempts`);
    await queryRunner.query(`DROP TABLE writes`);
  }
}
