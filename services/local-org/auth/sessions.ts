/**
 * Access tokens of the local org. A token is `<orgId>!<random>` like a Salesforce session
 * id, lives `sessionTimeoutSeconds`, and is kept in memory: a restart logs everyone out,
 * as clients of a real org must be ready for (they re-authenticate on INVALID_SESSION_ID).
 */
import { randomBytes } from 'node:crypto';

export interface Session {
  accessToken: string;
  userId: string;
  username: string;
  orgId: string;
  issuedAt: Date;
  expiresAt: Date;
  /** How the session was obtained: 'jwt-bearer', 'password', 'soap'. */
  grant: string;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly now: () => Date,
    private readonly timeoutSeconds: number,
  ) {}

  create(user: { userId: string; username: string; orgId: string }, grant: string): Session {
    const issuedAt = this.now();
    const session: Session = {
      accessToken: `${user.orgId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`,
      userId: user.userId,
      username: user.username,
      orgId: user.orgId,
      issuedAt,
      expiresAt: new Date(issuedAt.getTime() + this.timeoutSeconds * 1000),
      grant,
    };
    this.sessions.set(session.accessToken, session);
    return session;
  }

  /** The live session of a token, or undefined when unknown or expired (expired ones are forgotten). */
  find(accessToken: string): Session | undefined {
    const session = this.sessions.get(accessToken);
    if (session === undefined) return undefined;
    if (session.expiresAt.getTime() <= this.now().getTime()) {
      this.sessions.delete(accessToken);
      return undefined;
    }
    return session;
  }

  /** Ends a session now (OAuth revoke, or fault injection of an expired token). */
  revoke(accessToken: string): boolean {
    return this.sessions.delete(accessToken);
  }

  /** Ends every session (admin, tests of re-authentication); returns how many ended. */
  revokeAll(): number {
    const count = this.sessions.size;
    this.sessions.clear();
    return count;
  }

  /** Ends every session of a user (user deactivated). */
  revokeUser(userId: string): void {
    for (const [token, session] of this.sessions) {
      if (session.userId === userId) this.sessions.delete(token);
    }
  }
}
