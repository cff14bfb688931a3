import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUrl, Length, ValidateIf } from 'class-validator';
import { TENANT_REGIONS, type TenantRegion } from '../../tenancy/entities/tenant.entity';
import {
  CONNECTION_FLOWS,
  CONNECTION_STATUSES,
  type ConnectionFlow,
  type ConnectionStatus,
  type SalesforceConnection,
} from '../entities/salesforce-connection.entity';
import { LOGIN_ENVIRONMENTS, type LoginEnvironment } from '../login-hosts';
import { SCOPE_PROFILE_NAMES, SCOPE_PROFILES, type ScopeProfileName } from '../scope-profiles';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
const SERVER_FLOWS = ['client_credentials', 'jwt_bearer'] as const;

/** Where the flow logs in: an environment, a My Domain URL, or both (checked by login-hosts.ts). */
class LoginTargetFields {
  @ApiPropertyOptional({
    enum: LOGIN_ENVIRONMENTS,
    description:
      'production (login.salesforce.com), sandbox (test.salesforce.com) or my_domain (loginUrl). Default: my_domain when loginUrl is given',
  })
  @IsOptional()
  @IsIn(LOGIN_ENVIRONMENTS)
  environment?: LoginEnvironment;

  @ApiPropertyOptional({
    example: 'https://acme.my.salesforce.com',
    description:
      "The org's My Domain URL: https, a Salesforce host, scheme and host only. Client credentials need it (Salesforce refuses that flow at login and test hosts)",
  })
  @ValidateIf((body: LoginTargetFields) => body.environment === undefined || body.loginUrl !== undefined)
  @IsString()
  @Length(1, 255)
  loginUrl?: string;
}

export class PutConnectionRequest extends LoginTargetFields {
  @ApiProperty({ enum: SERVER_FLOWS })
  @IsIn(SERVER_FLOWS)
  flow: (typeof SERVER_FLOWS)[number];

  @ApiProperty({ enum: SCOPE_PROFILE_NAMES })
  @IsIn(SCOPE_PROFILE_NAMES)
  profile: ScopeProfileName;

  @ApiProperty({ description: "The connected app's consumer key" })
  @IsString()
  @Length(1, 255)
  clientId: string;

  @ApiPropertyOptional({ description: 'Required for client_credentials; stored encrypted, never returned' })
  @ValidateIf(
    (body: PutConnectionRequest) => body.flow === 'client_credentials' || body.clientSecret !== undefined,
  )
  @IsString()
  @IsNotEmpty()
  clientSecret?: string;

  @ApiPropertyOptional({ description: 'Required for jwt_bearer: the Salesforce user the token acts as' })
  @ValidateIf((body: PutConnectionRequest) => body.flow === 'jwt_bearer' || body.username !== undefined)
  @IsString()
  @Length(1, 255)
  username?: string;

  @ApiPropertyOptional({ description: 'Required for jwt_bearer: RSA private key (PEM); stored encrypted' })
  @ValidateIf((body: PutConnectionRequest) => body.flow === 'jwt_bearer' || body.privateKeyPem !== undefined)
  @IsString()
  @IsNotEmpty()
  privateKeyPem?: string;
}

export class OAuthStartRequest extends LoginTargetFields {
  @ApiProperty({ enum: SCOPE_PROFILE_NAMES })
  @IsIn(SCOPE_PROFILE_NAMES)
  profile: ScopeProfileName;

  @ApiProperty()
  @IsString()
  @Length(1, 255)
  clientId: string;

  @ApiPropertyOptional({ description: 'Omit for a public (PKCE-only) connected app' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  clientSecret?: string;

  @ApiProperty({
    description: "A callback URL registered on the connected app; it calls this API's callback",
  })
  @IsUrl(URL_OPTIONS)
  redirectUri: string;
}

export class OAuthStartResponse {
  @ApiProperty({ description: 'Send the admin here; Salesforce redirects back with code and state' })
  authorizeUrl: string;
}

export class OAuthCallbackQuery {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  state: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  code?: string;

  @ApiPropertyOptional({ description: 'Set by Salesforce when the user refused (e.g. access_denied)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  error?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  error_description?: string;
}

export class ScopeProfileResponse {
  @ApiProperty({ enum: SCOPE_PROFILE_NAMES }) name: ScopeProfileName;
  @ApiProperty({ type: [String] }) scopes: string[];

  static all(): ScopeProfileResponse[] {
    return SCOPE_PROFILE_NAMES.map((name) => ({ name, scopes: [...SCOPE_PROFILES[name]] }));
  }
}

/** A connection as admins see it: never a token, secret or key. */
export class ConnectionResponse {
  @ApiProperty({ enum: CONNECTION_STATUSES }) status: ConnectionStatus;
  @ApiProperty({ enum: CONNECTION_FLOWS }) flow: ConnectionFlow;
  @ApiProperty() instanceUrl: string;
  @ApiProperty({ example: 'NA130' }) instance: string;
  @ApiProperty({ enum: TENANT_REGIONS }) region: TenantRegion;
  @ApiProperty({ enum: SCOPE_PROFILE_NAMES }) profile: ScopeProfileName;
  @ApiProperty({ type: [String], description: 'The scopes Salesforce granted' }) scopes: string[];
  @ApiProperty() orgId: string;
  @ApiProperty() clientId: string;
  @ApiProperty({ nullable: true, type: String }) username: string | null;
  @ApiProperty() connectedAt: string;
  @ApiProperty({ nullable: true, type: String }) lastRefreshedAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the connection needs reauthorization' })
  statusReason: string | null;

  static from(connection: SalesforceConnection): ConnectionResponse {
    return {
      status: connection.status,
      flow: connection.flow,
      instanceUrl: connection.instanceUrl,
      instance: connection.instance,
      region: connection.region,
      profile: connection.profile,
      scopes: connection.scopes,
      orgId: connection.orgId,
      clientId: connection.clientId,
      username: connection.username,
      connectedAt: connection.connectedAt.toISOString(),
      lastRefreshedAt: connection.lastRefreshedAt?.toISOString() ?? null,
      statusReason: connection.statusReason,
    };
  }
}
