import { createSecretKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { Actor, ForbiddenError, Role, UnauthenticatedError } from '@app/core';
import { readClaims, TokenClaims } from './token-claims';

interface CachedActor {
  actor: Actor;
  until: number;
}

const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;

/**
 * Turns a bearer token into an Actor: verifies the signature and claims, finds the steward's provider
 * by OIN or TOOI URI, and records the user the first time their subject is seen (and whenever their
 * name, roles or provider change).
 */
@Injectable()
export class AuthService {
  private readonly cache = new Map<string, CachedActor>();
  /**
   * The HS256 key, made once. Given the secret as a string, jsonwebtoken first tries (and fails) to
   * read it as a public key on every verification, which costs milliseconds per request.
   */
  private readonly secretKey: KeyObject;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    this.secretKey = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
  }

  async authenticate(authorization: string | undefined): Promise<Actor> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new UnauthenticatedError();
    const claims = this.verify(match[1]);
    const key = `${claims.sub}\u0000${claims.name}\u0000${claims.roles.join(',')}\u0000${claims.org ?? ''}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.actor;
    const actor = await this.recordUser(claims);
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { actor, until: Date.now() + CACHE_MS });
    return actor;
  }

  verify(token: string): TokenClaims {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.secretKey, { algorithms: ['HS256'], clockTolerance: 30 });
    } catch (error) {
      const reason =
        error instanceof jwt.TokenExpiredError ? 'the token has expired' : 'the token is not valid';
      throw new UnauthenticatedError(reason);
    }
    if (typeof payload === 'string') throw new UnauthenticatedError('the token is not valid');
    const claims = readClaims(payload);
    if (typeof claims === 'string') throw new UnauthenticatedError(claims);
    return claims;
  }

  private async recordUser(claims: TokenClaims): Promise<Actor> {
    let providerId: string | null = null;
    if (claims.org) {
      const rows: Array<{ id: string }> = await this.dataSource.query(
        'SELECT id FROM provider WHERE oin = $1 OR tooi_uri = $1 ORDER BY oin = $1 DESC LIMIT 1',
        [claims.org],
      );
      providerId = rows[0]?.id ?? null;
      if (!providerId && claims.roles.includes(Role.STEWARD)) {
        throw new ForbiddenError(`The organisation ${claims.org} in your token is not a registered provider`);
      }
    }
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO app_user (subject, name, roles, provider_id) VALUES ($1, $2, $3::role[], $4)
       ON CONFLICT (subject) DO UPDATE SET name = EXCLUDED.name, roles = EXCLUDED.roles,
         provider_id = EXCLUDED.provider_id, updated_at = now()
       WHERE (app_user.name, app_user.roles, app_user.provider_id) IS DISTINCT FROM
             (EXCLUDED.name, EXCLUDED.roles, EXCLUDED.provider_id)
       RETURNING id`,
      [claims.sub, claims.name, claims.roles, providerId],
    );
    // No row comes back when nothing changed (the WHERE of the upsert): read the existing id.
    const existing = rows[0]
      ? rows
      : await this.dataSource.query<Array<{ id: string }>>('SELECT id FROM app_user WHERE subject = $1', [
          claims.sub,
        ]);
    const id = existing[0].id;
    return { userId: id, subject: claims.sub, name: claims.name, roles: claims.roles, providerId };
  }

  /** Sign a token for local use (npm run token, tests). */
  sign(claims: TokenClaims, expiresInSeconds = 12 * 3600): string {
    return signToken(this.config.jwtSecret, claims, expiresInSeconds);
  }
}

export function signToken(secret: string, claims: TokenClaims, expiresInSeconds = 12 * 3600): string {
  const payload: Record<string, unknown> = { sub: claims.sub, name: claims.name, roles: claims.roles };
  if (claims.org) payload.org = claims.org;
  return jwt.sign(payload, secret, { algorithm: 'HS256', expiresIn: expiresInSeconds });
}
