import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { LessThan, Repository } from 'typeorm';
import type { Principal, TenantPrincipal } from '../../common/auth/principal';
import { ExpiringCache } from '../../common/cache/expiring-cache';
import { TokenCipher } from '../../common/crypto/token-cipher';
import { DomainError } from '../../common/errors/domain-error';
import type { SalesforceConfig } from '../../config/salesforce.config';
import type { TenantRegion } from '../tenancy/entities/tenant.entity';
import { TenantsService } from '../tenancy/tenants.service';
import { InstancePools } from './client/instance-pools';
import { SalesforceError } from './client/salesforce-error';
import { SalesforceHttp } from './client/salesforce-http';
import {
  ConnectionResponse,
  OAuthCallbackQuery,
  OAuthStartRequest,
  PutConnectionRequest,
} from './dto/connection.dto';
import { OAuthState } from './entities/oauth-state.entity';
import {
  ConnectionFlow,
  ConnectionStatus,
  SalesforceConnection,
} from './entities/salesforce-connection.entity';
import {
  ConnectionActor,
  ConnectionConnectedEvent,
  ConnectionDisconnectedEvent,
  SalesforceEvents,
} from './events/salesforce.events';
import { SalesforceOAuth, TokenGrant } from './oauth/salesforce-oauth';
import { regionOfInstance } from './regions/instance-region';
import {
  assertProfileAllows,
  missingScopes,
  SalesforceOperation,
  SCOPE_PROFILES,
  ScopeProfileName,
} from './scope-profiles';
import { isGenericLoginHost, isMyDomainRefusal, myDomainRequired, resolveLoginUrl } from './login-hosts';
import { secretContext } from './tokens/secret-context';
import { notConnectedError, SalesforceSessions } from './tokens/salesforce-sessions';
import { SalesforceErrorCode } from './salesforce-error-code';

/** What other modules may know of a tenant's connection. */
export interface ConnectionSummary {
  status: ConnectionStatus;
  flow: ConnectionFlow;
  profile: ScopeProfileName;
  scopes: string[];
  instance: string;
  region: TenantRegion;
  instanceUrl: string;
}

/** The credentials a connection keeps (encrypted) besides its tokens. */
interface ConnectionCredentials {
  loginUrl: string;
  clientId: string;
  clientSecret?: string;
  username?: string;
  privateKeyPem?: string;
  redirectUri?: string;
}

const connectFailed = (error: SalesforceError) => {
  const detail = error.problems?.[0] ?? { code: error.salesforceErrorCode, message: error.message };
  return new DomainError(
    SalesforceErrorCode.ConnectFailed,
    `Salesforce refused the connection: ${detail.code}: ${detail.message}`,
    [{ field: 'salesforce', code: detail.code, message: detail.message }],
  );
};

/**
 * The region guard asks on every agent request, and a tenant's serving region only changes when its org is
 * connected or disconnected (a tenant's declared region never changes). Each process keeps it a few seconds,
 * forgotten at once when this process connects or disconnects the tenant; a change made through another process
 * takes effect here within the TTL.
 */
const SERVING_REGION_TTL_MS = 5_000;
const SERVING_REGION_CACHE_MAX = 10_000;

const invalidState = (
  message: string,
  code:
    | SalesforceErrorCode.OAuthStateInvalid
    | SalesforceErrorCode.OAuthStateExpired = SalesforceErrorCode.OAuthStateInvalid,
) => new DomainError(code, message);

/**
 * Connecting a tenant's org (client credentials, JWT bearer, web server + PKCE), what the connection looks
 * like, and taking it away again. Nothing is stored unless Salesforce issued a token that works for the
 * profile, from an instance in a region this deployment serves.
 */
@Injectable()
export class ConnectionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConnectionsService.name);
  private readonly config: SalesforceConfig;
  private readonly servingRegions = new ExpiringCache<TenantRegion>({
    ttlMs: SERVING_REGION_TTL_MS,
    maxEntries: SERVING_REGION_CACHE_MAX,
  });

  constructor(
    @InjectRepository(SalesforceConnection) private readonly connections: Repository<SalesforceConnection>,
    @InjectRepository(OAuthState) private readonly states: Repository<OAuthState>,
    private readonly tenants: TenantsService,
    private readonly oauth: SalesforceOAuth,
    private readonly http: SalesforceHttp,
    private readonly pools: InstancePools,
    private readonly sessions: SalesforceSessions,
    private readonly cipher: TokenCipher,
    private readonly events: EventEmitter2,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<SalesforceConfig>('salesforce');
  }

  /** Warms the pool of every instance with a live connection before traffic arrives. */
  async onApplicationBootstrap(): Promise<void> {
    const rows = await this.connections
      .createQueryBuilder('c')
      .select('DISTINCT c.instance_url', 'instanceUrl')
      .where('c.status = :status', { status: 'connected' })
      .getRawMany<{ instanceUrl: string }>();
    await Promise.all(rows.map((row) => this.pools.warm(row.instanceUrl)));
  }

  async connect(tenantId: string, body: PutConnectionRequest, actor: Principal): Promise<ConnectionResponse> {
    const scopes = SCOPE_PROFILES[body.profile];
    const loginUrl = resolveLoginUrl(body, this.config.loginHostsAllowed);
    const clientCredentials = body.flow === 'client_credentials';
    if (clientCredentials && isGenericLoginHost(loginUrl)) throw myDomainRequired();
    const grant = await this.exchange(
      () =>
        clientCredentials
          ? this.oauth.clientCredentials(
              { loginUrl, clientId: body.clientId, clientSecret: body.clientSecret ?? '' },
              scopes,
            )
          : this.oauth.jwtBearer(
              {
                loginUrl,
                clientId: body.clientId,
                username: body.username ?? '',
                privateKeyPem: body.privateKeyPem ?? '',
              },
              scopes,
            ),
      // A login host we cannot recognise by name (a proxy, the sandbox org) answers as Salesforce does (§1.1).
      clientCredentials,
    );
    return this.establish(tenantId, body.flow, body.profile, grant, { ...body, loginUrl }, actor);
  }

  async startOAuth(caller: TenantPrincipal, body: OAuthStartRequest): Promise<{ authorizeUrl: string }> {
    const loginUrl = resolveLoginUrl(body, this.config.loginHostsAllowed);
    const state = randomBytes(32).toString('base64url');
    const codeVerifier = randomBytes(48).toString('base64url');
    await this.states.delete({ tenantId: caller.tenantId, expiresAt: LessThan(new Date()) });
    await this.states.insert({
      stateHash: sha256(state),
      tenantId: caller.tenantId,
      keyId: caller.keyId,
      profile: body.profile,
      loginUrl,
      clientId: body.clientId,
      clientSecretEnc: body.clientSecret
        ? this.cipher.encrypt(body.clientSecret, secretContext(caller.tenantId, 'client_secret'))
        : null,
      redirectUri: body.redirectUri,
      codeVerifierEnc: this.cipher.encrypt(codeVerifier, secretContext(caller.tenantId, 'code_verifier')),
      expiresAt: new Date(Date.now() + this.config.oauthStateTtlSeconds * 1000),
    });
    const authorizeUrl = this.oauth.authorizeUrl({
      loginUrl,
      clientId: body.clientId,
      redirectUri: body.redirectUri,
      scopes: SCOPE_PROFILES[body.profile],
      state,
      codeChallenge: createHash('sha256').update(codeVerifier).digest('base64url'),
    });
    return { authorizeUrl };
  }

  /** The end of the web-server flow: the state (single use, unexpired) names the tenant. */
  async completeOAuth(query: OAuthCallbackQuery): Promise<ConnectionResponse> {
    const stateHash = sha256(query.state);
    const pending = await this.states.findOneBy({ stateHash });
    const taken = pending ? (await this.states.delete({ stateHash })).affected : 0;
    if (!pending || !taken)
      throw invalidState('Unknown or already used OAuth state; start the connection again');
    if (pending.expiresAt.getTime() < Date.now()) {
      throw invalidState(
        'The OAuth state has expired; start the connection again',
        SalesforceErrorCode.OAuthStateExpired,
      );
    }
    if (query.error) {
      throw connectFailed(
        new SalesforceError({
          errorCode: query.error,
          message: query.error_description ?? query.error,
          salesforceStatus: 400,
        }),
      );
    }
    if (!query.code)
      throw new DomainError(
        SalesforceErrorCode.OAuthCodeMissing,
        'The callback carries no authorization code',
      );
    const tenantId = pending.tenantId;
    const clientSecret = pending.clientSecretEnc
      ? this.cipher.decrypt(pending.clientSecretEnc, secretContext(tenantId, 'client_secret'))
      : undefined;
    const credentials = {
      loginUrl: pending.loginUrl,
      clientId: pending.clientId,
      clientSecret,
      redirectUri: pending.redirectUri,
    };
    const codeVerifier = this.cipher.decrypt(
      pending.codeVerifierEnc,
      secretContext(tenantId, 'code_verifier'),
    );
    const grant = await this.exchange(() =>
      this.oauth.authorizationCode(credentials, query.code ?? '', codeVerifier),
    );
    const actor: Principal = { role: 'admin', tenantId, keyId: pending.keyId };
    return this.establish(tenantId, 'web_server', pending.profile, grant, credentials, actor);
  }

  async get(tenantId: string): Promise<ConnectionResponse> {
    const row = await this.connections.findOneBy({ tenantId });
    if (!row)
      throw new DomainError(
        SalesforceErrorCode.ConnectionMissing,
        'This tenant has no Salesforce connection',
      );
    return ConnectionResponse.from(row);
  }

  async getConnectionSummary(tenantId: string): Promise<ConnectionSummary | null> {
    const row = await this.connections.findOneBy({ tenantId });
    if (!row) return null;
    const { status, flow, profile, scopes, instance, region, instanceUrl } = row;
    return { status, flow, profile, scopes, instance, region, instanceUrl };
  }

  /** Throws SCOPE_INSUFFICIENT (naming the profile required) when the tenant's profile does not cover it. */
  async assertOperationAllowed(tenantId: string, operation: SalesforceOperation): Promise<void> {
    const summary = await this.getConnectionSummary(tenantId);
    if (!summary) throw notConnectedError();
    assertProfileAllows(summary.profile, operation);
  }

  /** The region whose deployment serves the tenant: its org's, or the one declared for the tenant. */
  servingRegionFor(tenantId: string): Promise<TenantRegion> {
    return this.servingRegions.get(tenantId, async () => {
      const row = await this.connections.findOne({ select: { region: true }, where: { tenantId } });
      return row?.region ?? (await this.tenants.get(tenantId)).region;
    });
  }

  /** See SERVING_REGION_TTL_MS; both events are emitted synchronously after the row changed. */
  @OnEvent(SalesforceEvents.Connected)
  @OnEvent(SalesforceEvents.Disconnected)
  forgetServingRegion(event: { tenantId: string }): void {
    this.servingRegions.delete(event.tenantId);
  }

  /** Revokes the tokens at Salesforce, then forgets the connection. */
  async disconnect(tenantId: string, actor: Principal): Promise<void> {
    const row = await this.connections.findOneBy({ tenantId });
    if (!row)
      throw new DomainError(
        SalesforceErrorCode.ConnectionMissing,
        'This tenant has no Salesforce connection',
      );
    await this.revokeAll(row, { failOnTransient: true });
    await this.connections.delete({ tenantId });
    this.sessions.forget(tenantId);
    this.events.emit(SalesforceEvents.Disconnected, new ConnectionDisconnectedEvent(tenantId, actor));
  }

  private async establish(
    tenantId: string,
    flow: ConnectionFlow,
    profile: ScopeProfileName,
    grant: TokenGrant,
    credentials: ConnectionCredentials,
    actor: ConnectionActor,
  ): Promise<ConnectionResponse> {
    try {
      const missing = missingScopes(profile, grant.scopes, { refreshable: flow === 'web_server' });
      if (missing.length > 0) {
        throw new DomainError(
          SalesforceErrorCode.ScopeNotGranted,
          `Salesforce did not grant the ${profile} profile's scopes: ${missing.join(', ')} (granted: ${grant.scopes.join(' ') || 'none'})`,
        );
      }
      const warming = this.pools.warm(grant.instanceUrl);
      const instance = await this.instanceName(tenantId, grant);
      await warming;
      const region = regionOfInstance(instance);
      if (!region) {
        throw new DomainError(
          SalesforceErrorCode.RegionUnknown,
          `Cannot tell the region of Salesforce instance ${instance}`,
        );
      }
      if (!this.config.deploymentRegions.includes(region)) {
        throw new DomainError(
          SalesforceErrorCode.RegionNotServed,
          `The org lives on ${instance} in region ${region}; this deployment serves ${this.config.deploymentRegions.join(', ')}. Connect it through the ${region} deployment`,
        );
      }
      const previous = await this.connections.findOneBy({ tenantId });
      const row = await this.connections.save(
        this.connections.create({
          tenantId,
          flow,
          status: 'connected',
          profile,
          scopes: grant.scopes,
          loginUrl: credentials.loginUrl,
          clientId: credentials.clientId,
          username: credentials.username ?? null,
          redirectUri: credentials.redirectUri ?? null,
          instanceUrl: grant.instanceUrl,
          instance,
          region,
          orgId: grant.orgId,
          accessTokenEnc: this.seal(tenantId, 'access_token', grant.accessToken) ?? '',
          refreshTokenEnc: this.seal(tenantId, 'refresh_token', grant.refreshToken),
          clientSecretEnc: this.seal(tenantId, 'client_secret', credentials.clientSecret),
          privateKeyEnc: this.seal(tenantId, 'private_key', credentials.privateKeyPem),
          tokenVersion: (previous?.tokenVersion ?? 0) + 1,
          lastRefreshedAt: null,
          refreshWindowStartedAt: null,
          refreshWindowCount: 0,
          statusReason: null,
          ...(previous && { connectedAt: new Date() }),
        }),
      );
      this.sessions.forget(tenantId);
      if (previous) await this.revokeAll(previous, { failOnTransient: false });
      this.events.emit(
        SalesforceEvents.Connected,
        new ConnectionConnectedEvent(tenantId, flow, profile, grant.scopes, instance, region, actor),
      );
      this.logger.log({ tenantId, flow, profile, instance, region }, 'Salesforce connected');
      return ConnectionResponse.from(row);
    } catch (error) {
      // Nothing is kept of a refused connection, not even the token Salesforce just issued.
      await this.revokeQuietly(credentials.loginUrl, grant.accessToken);
      throw error instanceof SalesforceError ? connectFailed(error) : error;
    }
  }

  /** The org's instance name (NA130), which decides its region. */
  private async instanceName(tenantId: string, grant: TokenGrant): Promise<string> {
    const session = this.http.openSession({
      tenantId,
      instance: new URL(grant.instanceUrl).host,
      instanceUrl: grant.instanceUrl,
      tokenVersion: 0,
      accessToken: grant.accessToken,
    });
    const result = await this.http.send<{ records: Array<{ InstanceName?: string }> }>(
      session,
      { method: 'GET', path: `/query?q=${encodeURIComponent('SELECT InstanceName FROM Organization')}` },
      AbortSignal.timeout(this.config.callDeadlineMs),
    );
    const name = result.records[0]?.InstanceName;
    if (!name)
      throw new DomainError(
        SalesforceErrorCode.RegionUnknown,
        'Salesforce did not say which instance the org is on',
      );
    return name;
  }

  private async exchange(request: () => Promise<TokenGrant>, clientCredentials = false): Promise<TokenGrant> {
    try {
      return await request();
    } catch (error) {
      if (clientCredentials && error instanceof SalesforceError && isMyDomainRefusal(error)) {
        throw myDomainRequired();
      }
      if (error instanceof SalesforceError) throw connectFailed(error);
      throw error;
    }
  }

  /** Refresh token first: revoking it also ends the sessions minted from it (salesforce-rest.md §1.7). */
  private async revokeAll(row: SalesforceConnection, options: { failOnTransient: boolean }): Promise<void> {
    const tokens = [
      row.refreshTokenEnc &&
        this.cipher.decrypt(row.refreshTokenEnc, secretContext(row.tenantId, 'refresh_token')),
      this.cipher.decrypt(row.accessTokenEnc, secretContext(row.tenantId, 'access_token')),
    ].filter((token): token is string => Boolean(token));
    for (const token of tokens) {
      try {
        await this.oauth.revoke(row.loginUrl, token);
      } catch (error) {
        // A token Salesforce no longer knows is as good as revoked; one it could not be asked about is not.
        const unreachable =
          error instanceof SalesforceError &&
          (error.errorClass === 'transient' || error.errorClass === 'rate-limited');
        if (unreachable && options.failOnTransient) throw error;
      }
    }
  }

  private async revokeQuietly(loginUrl: string, token: string): Promise<void> {
    try {
      await this.oauth.revoke(loginUrl, token);
    } catch {
      // Best effort: the connection is refused either way.
    }
  }

  private seal(
    tenantId: string,
    column: Parameters<typeof secretContext>[1],
    value: string | undefined,
  ): string | null {
    return value === undefined ? null : this.cipher.encrypt(value, secretContext(tenantId, column));
  }
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
