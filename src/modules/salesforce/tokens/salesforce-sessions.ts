import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource, EntityManager } from 'typeorm';
import { TokenCipher } from '../../../common/crypto/token-cipher';
import type { SalesforceConfig } from '../../../config/salesforce.config';
import { SalesforceError } from '../client/salesforce-error';
import { SalesforceHttp, SalesforceSession } from '../client/salesforce-http';
import { SalesforceConnection } from '../entities/salesforce-connection.entity';
import { SalesforceErrorCode } from '../salesforce-error-code';
import {
  ConnectionNeedsReauthorizationEvent,
  ConnectionRefreshedEvent,
  SalesforceEvents,
  SYSTEM_ACTOR,
} from '../events/salesforce.events';
import { RenewalCredentials, SalesforceOAuth } from '../oauth/salesforce-oauth';
import { SCOPE_PROFILES } from '../scope-profiles';
import { secretContext } from './secret-context';

export const notConnectedError = () =>
  new SalesforceError({
    errorCode: 'NOT_CONNECTED',
    message: 'This tenant has no Salesforce connection; an admin connects it with PUT /v1/connection',
    code: SalesforceErrorCode.NotConnected,
  });

export const reauthorizationError = (errorCode: string, reason: string) =>
  new SalesforceError({
    errorCode,
    message: `${reason}. An admin must connect Salesforce again`,
    code: SalesforceErrorCode.ReauthorizationRequired,
  });

/**
 * Each tenant's live access token: cached per process, refreshed at most once at a time per tenant across
 * every process (in-process single flight, then a Postgres advisory lock and a re-read of the row, since
 * another process may already have refreshed), within a refresh budget shared through the row.
 */
@Injectable()
export class SalesforceSessions {
  private readonly logger = new Logger(SalesforceSessions.name);
  private readonly cache = new Map<string, SalesforceSession>();
  private readonly refreshing = new Map<string, Promise<SalesforceSession>>();
  private readonly config: SalesforceConfig;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: TokenCipher,
    private readonly oauth: SalesforceOAuth,
    private readonly http: SalesforceHttp,
    private readonly events: EventEmitter2,
    config: ConfigService,
  ) {
    this.config = config.getOrThrow<SalesforceConfig>('salesforce');
  }

  async current(tenantId: string): Promise<SalesforceSession> {
    const cached = this.cache.get(tenantId);
    if (cached) return cached;
    const row = await this.dataSource.manager.findOneBy(SalesforceConnection, { tenantId });
    return this.remember(this.usable(row));
  }

  /** A session newer than `staleVersion`: the one another caller or process already got, or a new token. */
  refresh(tenantId: string, staleVersion: number): Promise<SalesforceSession> {
    const cached = this.cache.get(tenantId);
    if (cached && cached.tokenVersion > staleVersion) return Promise.resolve(cached);
    let pending = this.refreshing.get(tenantId);
    if (!pending) {
      pending = this.refreshUnderLock(tenantId, staleVersion).finally(() => this.refreshing.delete(tenantId));
      this.refreshing.set(tenantId, pending);
    }
    return pending;
  }

  /** Records that only a new connection can help (revoked grant, token not valid for the REST API). */
  async markNeedsReauthorization(tenantId: string, error: SalesforceError): Promise<SalesforceError> {
    const reason = error.salesforceMessage;
    await this.dataSource.manager.update(
      SalesforceConnection,
      { tenantId },
      { status: 'needs_reauthorization', statusReason: reason.slice(0, 500) },
    );
    this.forget(tenantId);
    this.emitNeedsReauthorization(tenantId, error.salesforceErrorCode, reason);
    return reauthorizationError(error.salesforceErrorCode, reason);
  }

  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private async refreshUnderLock(tenantId: string, staleVersion: number): Promise<SalesforceSession> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const outcome = await this.refreshInTransaction(runner.manager, tenantId, staleVersion);
      await runner.commitTransaction();
      if (outcome.kind === 'refreshed') {
        this.events.emit(
          SalesforceEvents.Refreshed,
          new ConnectionRefreshedEvent(tenantId, outcome.row.tokenVersion, SYSTEM_ACTOR),
        );
      }
      if (outcome.kind === 'failed') {
        if (outcome.reauthorize) {
          this.forget(tenantId);
          this.emitNeedsReauthorization(tenantId, outcome.error.salesforceErrorCode, outcome.reason);
          throw reauthorizationError(outcome.error.salesforceErrorCode, outcome.reason);
        }
        throw outcome.error;
      }
      return this.remember(outcome.row);
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async refreshInTransaction(
    manager: EntityManager,
    tenantId: string,
    staleVersion: number,
  ): Promise<
    | { kind: 'current' | 'refreshed'; row: SalesforceConnection }
    | { kind: 'failed'; error: SalesforceError; reauthorize: boolean; reason: string }
  > {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `salesforce-refresh:${tenantId}`,
    ]);
    const row = this.usable(await manager.findOneBy(SalesforceConnection, { tenantId }));
    if (row.tokenVersion > staleVersion) return { kind: 'current', row };

    const now = new Date();
    const windowOpen =
      row.refreshWindowStartedAt !== null &&
      now.getTime() - row.refreshWindowStartedAt.getTime() < this.config.refreshBudgetWindowMs;
    const used = windowOpen ? row.refreshWindowCount : 0;
    if (used >= this.config.refreshBudget) {
      return {
        kind: 'failed',
        reauthorize: false,
        reason: 'refresh budget spent',
        error: new SalesforceError({
          errorCode: 'REFRESH_BUDGET_EXHAUSTED',
          message: `Salesforce kept refusing fresh tokens (${used} refreshes within ${this.config.refreshBudgetWindowMs} ms); not trying again yet`,
          salesforceStatus: 401,
        }),
      };
    }
    const budget = {
      refreshWindowStartedAt: windowOpen ? row.refreshWindowStartedAt : now,
      refreshWindowCount: used + 1,
    };

    try {
      const grant = await this.oauth.renew(this.renewalCredentials(row), SCOPE_PROFILES[row.profile]);
      Object.assign(row, budget, {
        accessTokenEnc: this.cipher.encrypt(grant.accessToken, secretContext(tenantId, 'access_token')),
        ...(grant.refreshToken && {
          refreshTokenEnc: this.cipher.encrypt(grant.refreshToken, secretContext(tenantId, 'refresh_token')),
        }),
        instanceUrl: grant.instanceUrl,
        tokenVersion: row.tokenVersion + 1,
        lastRefreshedAt: now,
      });
      await manager.save(row);
      this.logger.log({ tenantId, tokenVersion: row.tokenVersion }, 'Salesforce token refreshed');
      return { kind: 'refreshed', row };
    } catch (caught) {
      const error =
        caught instanceof SalesforceError
          ? caught
          : new SalesforceError({ errorCode: 'UNKNOWN_ERROR', message: String(caught) });
      const reauthorize = error.requiresReauthorization;
      const reason = error.salesforceMessage;
      await manager.update(
        SalesforceConnection,
        { tenantId },
        {
          ...budget,
          ...(reauthorize && {
            status: 'needs_reauthorization' as const,
            statusReason: reason.slice(0, 500),
          }),
        },
      );
      this.logger.warn(
        { tenantId, salesforceErrorCode: error.salesforceErrorCode },
        'Salesforce token refresh failed',
      );
      return { kind: 'failed', error, reauthorize, reason };
    }
  }

  private usable(row: SalesforceConnection | null): SalesforceConnection {
    if (!row) throw notConnectedError();
    if (row.status === 'needs_reauthorization') {
      throw reauthorizationError(
        'NEEDS_REAUTHORIZATION',
        row.statusReason ?? 'The connection needs reauthorization',
      );
    }
    return row;
  }

  private remember(row: SalesforceConnection): SalesforceSession {
    const session = this.http.openSession({
      tenantId: row.tenantId,
      instance: row.instance,
      instanceUrl: row.instanceUrl,
      tokenVersion: row.tokenVersion,
      accessToken: this.cipher.decrypt(row.accessTokenEnc, secretContext(row.tenantId, 'access_token')),
    });
    const cached = this.cache.get(row.tenantId);
    if (!cached || cached.tokenVersion <= session.tokenVersion) this.cache.set(row.tenantId, session);
    return session;
  }

  private renewalCredentials(row: SalesforceConnection): RenewalCredentials {
    const open = (value: string | null, column: 'refresh_token' | 'client_secret' | 'private_key') =>
      value === null ? undefined : this.cipher.decrypt(value, secretContext(row.tenantId, column));
    const base = { loginUrl: row.loginUrl, clientId: row.clientId };
    switch (row.flow) {
      case 'client_credentials':
        return {
          flow: 'client_credentials',
          ...base,
          clientSecret: open(row.clientSecretEnc, 'client_secret') ?? '',
        };
      case 'jwt_bearer':
        return {
          flow: 'jwt_bearer',
          ...base,
          username: row.username ?? '',
          privateKeyPem: open(row.privateKeyEnc, 'private_key') ?? '',
        };
      case 'web_server':
        return {
          flow: 'web_server',
          ...base,
          clientSecret: open(row.clientSecretEnc, 'client_secret'),
          refreshToken: open(row.refreshTokenEnc, 'refresh_token') ?? '',
        };
    }
  }

  private emitNeedsReauthorization(tenantId: string, errorCode: string, reason: string): void {
    this.logger.warn(
      { tenantId, salesforceErrorCode: errorCode },
      'Salesforce connection needs reauthorization',
    );
    this.events.emit(
      SalesforceEvents.NeedsReauthorization,
      new ConnectionNeedsReauthorizationEvent(tenantId, errorCode, reason, SYSTEM_ACTOR),
    );
  }
}
