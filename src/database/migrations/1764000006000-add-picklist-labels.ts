import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Picklist labels beside their API values: a short-form map matches an intent to either. */
export class AddPicklistLabels1764000006000 implements MigrationInterface {
  name = 'AddPicklistLabels1764000006000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE metadata_fields ADD COLUMN picklist_labels jsonb NOT NULL DEFAULT '[]'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE metadata_fields DROP COLUMN picklist_labels`);
  }
}
