import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMapping1764000002000 implements MigrationInterface {
  name = 'CreateMapping1764000002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE metadata_objects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        name varchar(100) NOT NULL,
        name_key varchar(100) NOT NULL,
        label varchar(255) NOT NULL,
        found boolean NOT NULL,
        refreshed_at timestamptz NOT NULL,
        CONSTRAINT metadata_objects_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
        CONSTRAINT metadata_objects_tenant_name_unique UNIQUE (tenant_id, name_key)
      )`);
    await queryRunner.query(`CREATE INDEX metadata_objects_tenant_idx ON metadata_objects (tenant_id)`);
    await queryRunner.query(`
      CREATE TABLE metadata_fields (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        object_id uuid NOT NULL,
        name varchar(100) NOT NULL,
        label varchar(255) NOT NULL,
        type varchar(40) NOT NULL,
        length integer,
        createable boolean NOT NULL,
        updateable boolean NOT NULL,
        nillable boolean NOT NULL,
        defaulted_on_create boolean NOT NULL,
        picklist_values jsonb NOT NULL DEFAULT '[]',
        default_picklist_value varchar(255),
        restricted_picklist boolean NOT NULL,
        reference_to jsonb NOT NULL DEFAULT '[]',
        external_id boolean NOT NULL,
        CONSTRAINT metadata_fields_object_id_fkey FOREIGN KEY (object_id) REFERENCES metadata_objects(id) ON DELETE CASCADE,
        CONSTRAINT metadata_fields_object_name_unique UNIQUE (object_id, name)
      )`);
    await queryRunner.query(`
      CREATE TABLE intent_maps (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid NOT NULL,
        intent varchar(100) NOT NULL,
        current_version integer NOT NULL,
        deleted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT intent_maps_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
        CONSTRAINT intent_maps_tenant_intent_unique UNIQUE (tenant_id, intent)
      )`);
    await queryRunner.query(`
      CREATE TABLE intent_map_versions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        intent_map_id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        intent varchar(100) NOT NULL,
        version integer NOT NULL,
        definition jsonb NOT NULL,
        created_by_key_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT intent_map_versions_intent_map_id_fkey FOREIGN KEY (intent_map_id) REFERENCES intent_maps(id) ON DELETE CASCADE,
        CONSTRAINT intent_map_versions_map_version_unique UNIQUE (intent_map_id, version)
      )`);
    await queryRunner.query(`CREATE INDEX intent_map_versions_tenant_idx ON intent_map_versions (tenant_id)`);
    // Writes record the version they used: a version row never changes once saved.
    await queryRunner.query(`
      CREATE FUNCTION intent_map_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'intent map versions are immutable';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER intent_map_versions_no_update BEFORE UPDATE ON intent_map_versions
      FOR EACH ROW EXECUTE FUNCTION intent_map_versions_immutable()`);
    await queryRunner.query(
      `ALTER TABLE intent_map_versions ENABLE ALWAYS TRIGGER intent_map_versions_no_update`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE intent_map_versions`);
    await queryRunner.query(`DROP FUNCTION intent_map_versions_immutable()`);
    await queryRunner.query(`DROP TABLE intent_maps`);
    await queryRunner.query(`DROP TABLE metadata_fields`);
    await queryRunner.query(`DROP TABLE metadata_objects`);
  }
}
