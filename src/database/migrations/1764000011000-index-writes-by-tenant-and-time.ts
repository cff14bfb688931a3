import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The console's "recent writes" (GET /v1/writes): a tenant's newest writes without sorting all of them. */
export class IndexWritesByTenantAndTime1764000011000 implements MigrationInterface {
  name = 'IndexWritesByTenantAndTime1764000011000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX writes_tenant_created_idx ON writes (tenant_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX writes_tenant_created_idx`);
  }
}
