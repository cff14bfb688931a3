import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDeadLetters1764000005000 implements MigrationInterface {
  name = 'CreateDeadLetters1764000005000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE dead_letters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        write_id uuid NOT NULL,
        call_id varchar(128) NOT NULL,
        intent varchar(100) NOT NULL,
        status varchar(20) NOT NULL,
        payload jsonb NOT NULL,
        map_version_id uuid,
        map_version integer,
        attempts jsonb NOT NULL DEFAULT '[]',
        error_class varchar(20),
        error_code varchar(100) NOT NULL,
        error_message text NOT NULL,
        deaths integer NOT NULL DEFAULT 1,
        replays integer NOT NULL DEFAULT 0,
        alerted_at timestamptz,
        replayed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT dead_letters_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
        CONSTRAINT dead_letters_write_id_fkey FOREIGN KEY (write_id) REFERENCES writes(id) ON DELETE CASCADE,
        CONSTRAINT dead_letters_write_unique UNIQUE (write_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX dead_letters_tenant_status_idx ON dead_letters (tenant_id, status, created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE dead_letters`);
  }
}
