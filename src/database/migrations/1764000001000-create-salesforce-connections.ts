import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSalesforceConnections1764000001000 implements MigrationInterface {
  name = 'CreateSalesforceConnections1764000001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE salesforce_connections (
        tenant_id uuid PRIMARY KEY,
        flow varchar(32) NOT NULL,
        status varchar(32) NOT NULL,
        profile varchar(16) NOT NULL,
        scopes text[] NOT NULL,
        login_url varchar(500) NOT NULL,
        client_id varchar(255) NOT NULL,
        username varchar(255),
        redirect_uri varchar(500),
        instance_url varchar(500) NOT NULL,
        instance varchar(40) NOT NULL,
        region varchar(16) NOT NULL,
        org_id varchar(18) NOT NULL,
        access_token_enc text NOT NULL,
        refresh_token_enc text,
        client_secret_enc text,
        private_key_enc text,
        token_version integer NOT NULL DEFAULT 1,
        last_refreshed_at timestamptz,
        refresh_window_started_at timestamptz,
        refresh_window_count integer NOT NULL DEFAULT 0,
        status_reason varchar(500),
        connected_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT salesforce_connections_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE,
        CONSTRAINT salesforce_connections_flow_check CHECK (flow IN ('client_credentials', 'jwt_bearer', 'web_server')),
        CONSTRAINT salesforce_connections_status_check CHECK (status IN ('connected', 'needs_reauthorization'))
      )`);
    await queryRunner.query(`
      CREATE TABLE salesforce_oauth_states (
        state_hash char(64) PRIMARY KEY,
        tenant_id uuid NOT NULL,
        key_id uuid NOT NULL,
        profile varchar(16) NOT NULL,
        login_url varchar(500) NOT NULL,
        client_id varchar(255) NOT NULL,
        client_secret_enc text,
        redirect_uri varchar(500) NOT NULL,
        code_verifier_enc text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT salesforce_oauth_states_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX salesforce_oauth_states_tenant_idx ON salesforce_oauth_states (tenant_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE salesforce_oauth_states`);
    await queryRunner.query(`DROP TABLE salesforce_connections`);
  }
}
