import { randomBytes } from 'node:crypto';

/** An access token: a Salesforce session, valid until idle for longer than the org's session timeout (§1.3). */
export interface Session {
  accessToken: string;
  orgKey: string;
  userId: string;
  clientId: string;
  scopes: ReadonlySet<string>;
  lastUsedAt: number;
  /** The refresh token it was minted from, so revoking that one kills this session too. */
  refreshToken?: string;
}

export interface RefreshGrant {
  refreshToken: string;
  orgKey: string;
  userId: string;
  clientId: string;
  scopes: string[];
  /** Issued to a PKCE (public) client: refreshing needs no client secret. */
  publicClient: boolean;
}

export interface AuthorizationCode {
  code: string;
  orgKey: string;
  userId: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge?: string;
  expiresAt: number;
}

const AUTHORIZATION_CODE_LIFETIME_MS = 15 * 60 * 1000;

function opaque(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Every token and code the sandbox has issued, across all orgs. */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly refreshGrants = new Map<string, RefreshGrant>();
  private readonly codes = new Map<string, AuthorizationCode>();

  /** Access tokens look like Salesforce's: `<15-char org id>!<opaque>` (§1.3). */
  openSession(orgId: string, fields: Omit<Session, 'accessToken' | 'lastUsedAt'>): Session {
    const session: Session = {
      ...fields,
      accessToken: `${orgId.slice(0, 15)}!${opaque(48)}`,
      lastUsedAt: Date.now(),
    };
    this.sessions.set(session.accessToken, session);
    return session;
  }

  grantRefreshToken(orgId: string, fields: Omit<RefreshGrant, 'refreshToken'>): RefreshGrant {
    const grant: RefreshGrant = { ...fields, refreshToken: `5Aep861${opaque(40)}` };
    this.refreshGrants.set(grant.refreshToken, grant);
    return grant;
  }

  issueCode(fields: Omit<AuthorizationCode, 'code' | 'expiresAt'>): AuthorizationCode {
    const code: AuthorizationCode = {
      ...fields,
      code: `aPrx${opaque(32)}`,
      expiresAt: Date.now() + AUTHORIZATION_CODE_LIFETIME_MS,
    };
    this.codes.set(code.code, code);
    return code;
  }

  /** A code is single-use: taking it removes it. */
  takeCode(code: string): AuthorizationCode | undefined {
    const found = this.codes.get(code);
    this.codes.delete(code);
    return found;
  }

  refreshGrant(token: string): RefreshGrant | undefined {
    return this.refreshGrants.get(token);
  }

  /** The session for a token without touching it (introspection); undefined when absent or idle too long. */
  peekSession(accessToken: string, idleTimeoutMs: number): Session | undefined {
    const session = this.sessions.get(accessToken);
    return session && Date.now() - session.lastUsedAt <= idleTimeoutMs ? session : undefined;
  }

  /** The live session for a token (touching it, since the timeout counts idle time), or undefined. */
  useSession(accessToken: string, idleTimeoutMs: number): Session | undefined {
    const session = this.sessions.get(accessToken);
    if (!session) return undefined;
    const now = Date.now();
    if (now - session.lastUsedAt > idleTimeoutMs) {
      this.sessions.delete(accessToken);
      return undefined;
    }
    session.lastUsedAt = now;
    return session;
  }

  /** Rotation: the old refresh token stops working, sessions minted from it live on. */
  retireRefreshToken(token: string): void {
    this.refreshGrants.delete(token);
  }

  expireAllSessions(): void {
    this.sessions.clear();
  }

  /** Revokes an access token, or a refresh token and every session minted from it (§1.7). */
  revoke(token: string): boolean {
    if (this.sessions.delete(token)) return true;
    if (!this.refreshGrants.delete(token)) return false;
    for (const [accessToken, session] of this.sessions) {
      if (session.refreshToken === token) this.sessions.delete(accessToken);
    }
    return true;
  }

  clear(): void {
    this.sessions.clear();
    this.refreshGrants.clear();
    this.codes.clear();
  }
}
