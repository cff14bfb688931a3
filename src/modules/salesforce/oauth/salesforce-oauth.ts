import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { OAuth2 } from '@jsforce/jsforce-node';
import type { TokenResponse } from '@jsforce/jsforce-node/lib/oauth2';
import jwt from 'jsonwebtoken';
import type { SalesforceConfig } from '../../../config/salesforce.config';
import { InstancePools } from '../client/instance-pools';
import { SalesforceError, toSalesforceError } from '../client/salesforce-error';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const JWT_LIFETIME_SECONDS = 180;

/** What a token response gives the connector, whatever the flow (salesforce-rest.md §1.3). */
export interface TokenGrant {
  accessToken: string;
  refreshToken?: string;
  instanceUrl: string;
  orgId: string;
  scopes: string[];
}

export interface ClientCredentials {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface JwtBearerCredentials {
  loginUrl: string;
  clientId: string;
  username: string;
  privateKeyPem: string;
}

export interface RefreshCredentials {
  loginUrl: string;
  clientId: string;
  clientSecret?: string;
  refreshToken: string;
}

/** The stored credentials a connection renews its access token with ("refresh" for every flow). */
export type RenewalCredentials =
  | ({ flow: 'client_credentials' } & ClientCredentials)
  | ({ flow: 'jwt_bearer' } & JwtBearerCredentials)
  | ({ flow: 'web_server' } & RefreshCredentials);

/**
 * The token endpoint, through jsforce's OAuth2 over the login host's pool: every grant the connector uses,
 * revocation, and the authorize URL. Failures come back as SalesforceErrors carrying Salesforce's `error`.
 */
@Injectable()
export class SalesforceOAuth {
  private readonly config: SalesforceConfig;

  constructor(
    private readonly pools: InstancePools,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<SalesforceConfig>('salesforce');
  }

  clientCredentials(credentials: ClientCredentials, scopes: readonly string[]): Promise<TokenGrant> {
    return this.requestToken(credentials, { grant_type: 'client_credentials', scope: scopes.join(' ') });
  }

  jwtBearer(credentials: JwtBearerCredentials, scopes: readonly string[]): Promise<TokenGrant> {
    let assertion: string;
    try {
      assertion = jwt.sign({}, credentials.privateKeyPem, {
        algorithm: 'RS256',
        issuer: credentials.clientId,
        subject: credentials.username,
        audience: jwtAudience(credentials.loginUrl),
        expiresIn: JWT_LIFETIME_SECONDS,
      });
    } catch {
      return Promise.reject(
        new SalesforceError({
          errorCode: 'invalid_private_key',
          message: 'privateKeyPem is not a usable RSA private key (PEM)',
          salesforceStatus: 400,
        }),
      );
    }
    return this.requestToken(
      { loginUrl: credentials.loginUrl, clientId: credentials.clientId },
      { grant_type: JWT_BEARER_GRANT, assertion, scope: scopes.join(' ') },
    );
  }

  authorizationCode(
    client: { loginUrl: string; clientId: string; clientSecret?: string; redirectUri: string },
    code: string,
    codeVerifier: string,
  ): Promise<TokenGrant> {
    return this.requestToken(client, {
      grant_type: 'authorization_code',
      code,
      code_verifier: codeVerifier,
    });
  }

  /** A fresh access token from stored credentials; `scopes` keeps a re-minted token as narrow as the first. */
  renew(credentials: RenewalCredentials, scopes: readonly string[]): Promise<TokenGrant> {
    switch (credentials.flow) {
      case 'client_credentials':
        return this.clientCredentials(credentials, scopes);
      case 'jwt_bearer':
        return this.jwtBearer(credentials, scopes);
      case 'web_server':
        return this.requestToken(credentials, {
          grant_type: 'refresh_token',
          refresh_token: credentials.refreshToken,
        });
    }
  }

  authorizeUrl(params: {
    loginUrl: string;
    clientId: string;
    redirectUri: string;
    scopes: readonly string[];
    state: string;
    codeChallenge: string;
  }): string {
    return new OAuth2({
      loginUrl: params.loginUrl,
      clientId: params.clientId,
      redirectUri: params.redirectUri,
    }).getAuthorizationUrl({
      scope: params.scopes.join(' '),
      state: params.state,
      code_challenge: params.codeChallenge,
      code_challenge_method: 'S256',
    });
  }

  async revoke(loginUrl: string, token: string): Promise<void> {
    let status: number | undefined;
    const oauth2 = this.oauth2({ loginUrl }, (code) => (status = code));
    try {
      await oauth2.revokeToken(token);
    } catch (error) {
      throw toSalesforceError(error, status);
    }
  }

  private async requestToken(
    client: { loginUrl: string; clientId: string; clientSecret?: string; redirectUri?: string },
    params: { grant_type: string } & Record<string, string>,
  ): Promise<TokenGrant> {
    let status: number | undefined;
    const oauth2 = this.oauth2(client, (code) => (status = code));
    let response: TokenResponse;
    try {
      response = await oauth2.requestToken(params);
    } catch (error) {
      throw toSalesforceError(error, status);
    }
    return {
      accessToken: response.access_token,
      ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
      instanceUrl: response.instance_url,
      orgId: /\/id\/([^/]+)\//.exec(response.id)?.[1] ?? '',
      scopes: (response.scope ?? '').split(/\s+/).filter(Boolean),
    };
  }

  private oauth2(
    client: { loginUrl: string; clientId?: string; clientSecret?: string; redirectUri?: string },
    onStatus: (status: number) => void,
  ): OAuth2 {
    const oauth2 = new OAuth2(client);
    oauth2._transport = this.pools.transport(client.loginUrl, {
      signal: AbortSignal.timeout(this.config.tokenDeadlineMs),
      onResponse: (response) => onStatus(response.statusCode),
    });
    return oauth2;
  }
}

/** Salesforce accepts its login hosts as the JWT audience; a sandbox (or local stand-in) names itself. */
function jwtAudience(loginUrl: string): string {
  const host = new URL(loginUrl).hostname;
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com')) {
    return 'https://test.salesforce.com';
  }
  if (host.endsWith('.salesforce.com')) return 'https://login.salesforce.com';
  return new URL(loginUrl).origin;
}
