import { webcrypto } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  JWTPayload,
  jwtVerify,
  JWTVerifyGetKey,
  JWTVerifyOptions,
} from 'jose';
import * as jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { Actor, ForbiddenError, Role, ServiceUnavailableError, UnauthenticatedError } from '@app/core';
import { ExpiringCache } from './expiring-cache';
import { ClaimOptions, readClaims, TokenClaims } from './token-claims';

/**
 * How long an actor is reused without looking at the database (user record, provider by OIN), and a
 * token once verified is taken as verified again (never beyond its expiry).
 */
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;
/** How long one JWKS fetch may take. */
const JWKS_TIMEOUT_MS = 5_000;

/** The algorithms of identity-provider tokens; local tokens are HS256 only. */
const REMOTE_ALGORITHMS = ['RS256', 'ES256'];

/** A way to verify tokens of one algorithm family: the key, the checks, and where the claims are. */
interface Verifier {
  key: JWTVerifyGetKey;
  options: JWTVerifyOptions;
  claims: ClaimOptions;
}

/**
 * The HS256 secret as a key, imported once: given the raw secret, jose would import it again on every
 * verification.
 */
function localKey(secret: string): JWTVerifyGetKey {
  const key = webcrypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['verify'],
  );
  return () => key;
}

/** The identity provider's keys could not be had (fetch failed, timed out, not a key set). */
class KeysUnavailable extends Error {}

/** What a client is told about a token that jose refused, without details of keys or signatures. */
function refusal(error: unknown): Error {
  if (error instanceof KeysUnavailable) {
    return new ServiceUnavailableError("The identity provider's keys cannot be fetched; try again shortly");
  }
  if (error instanceof errors.JWTExpired) return new UnauthenticatedError('the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss')
      return new UnauthenticatedError('the token was issued by an issuer not accepted here');
    if (error.claim === 'aud') return new UnauthenticatedError('the token is meant for another audience');
    if (error.claim === 'nbf') return new UnauthenticatedError('the token is not valid yet');
  }
  return new UnauthenticatedError('the token is not valid');
}

/**
 * Turns a bearer token into an Actor: verifies the signature and claims, finds the steward's provider
 * by OIN or TOOI URI, and records the user the first time their subject is seen (and whenever their
 * name, roles or provider change).
 *
 * Two kinds of tokens, told apart by their `alg`:
 * - HS256, signed with AUTH_JWT_SECRET (npm run token, tests), with the claims `roles` and `org`;
 *   refused when no secret applies (AUTH_DISABLE_LOCAL_TOKENS, or an identity provider without one);
 * - RS256 and ES256 from the OIDC identity provider, verified against its JWKS (AUTH_JWKS_URL) with
 *   `iss` and `aud` checked when configured, the claims where AUTH_ROLES_CLAIM and AUTH_ORG_CLAIM say,
 *   and roles of other applications ignored. The key set is cached (AUTH_JWKS_CACHE_SECONDS); a token
 *   naming an unknown `kid` fetches it again, at most once per AUTH_JWKS_COOLDOWN_SECONDS.
 * Every other algorithm, `none` included, is refused. Both allow AUTH_CLOCK_SKEW_SECONDS of leeway.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  /** Actors by their claims: the user is recorded once per CACHE_MS, not on every request. */
  private readonly actors = new ExpiringCache<Actor>(CACHE_MAX);
  /** Actors by the exact token that was verified: a client sends the same token many times. */
  private readonly tokens = new ExpiringCache<Actor>(CACHE_MAX);
  private readonly verifiers = new Map<string, Verifier>();

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {
    const { auth } = config;
    const clockTolerance = auth.clockSkewSeconds;
    if (auth.localSecret !== null) {
      this.verifiers.set('HS256', {
        key: localKey(auth.localSecret),
        options: { algorithms: ['HS256'], clockTolerance },
        claims: {},
      });
    }
    if (auth.jwksUrl !== undefined) {
      const remote: Verifier = {
        key: this.remoteKeys(auth.jwksUrl),
        options: {
          algorithms: REMOTE_ALGORITHMS,
          clockTolerance,
          ...(auth.issuer !== undefined ? { issuer: auth.issuer } : {}),
          ...(auth.audience.length > 0 ? { audience: auth.audience } : {}),
        },
        claims: { rolesClaim: auth.rolesClaim, orgClaim: auth.orgClaim, ignoreUnknownRoles: true },
      };
      for (const alg of REMOTE_ALGORITHMS) this.verifiers.set(alg, remote);
    }
  }

  /**
   * The actor of an `Authorization: Bearer` header. A token verified in the last CACHE_MS is not
   * verified again (signature and claims are the same bytes; only time changes them, and the entry ends
   * at the token's expiry plus the clock skew allowed, as verification would). A key withdrawn by the
   * identity provider therefore stops tokens already seen within CACHE_MS, new ones at once.
   */
  async authenticate(authorization: string | undefined): Promise<Actor> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new UnauthenticatedError();
    const token = match[1];
    const seen = this.tokens.get(token, Date.now());
    if (seen) return seen;
    const { claims, expiresAt } = await this.verified(token);
    const key = `${claims.sub}\u0000${claims.name}\u0000${claims.roles.join(',')}\u0000${claims.org ?? ''}`;
    let actor = this.actors.get(key, Date.now());
    if (!actor) {
      actor = await this.recordUser(claims);
      this.actors.set(key, actor, Date.now() + CACHE_MS, Date.now());
    }
    const now = Date.now();
    const validUntil = (expiresAt + this.config.auth.clockSkewSeconds) * 1000;
    this.tokens.set(token, actor, Math.min(now + CACHE_MS, validUntil), now);
    return actor;
  }

  async verify(token: string): Promise<TokenClaims> {
    return (await this.verified(token)).claims;
  }

  /** The token's claims and expiry (seconds since the epoch), once signature and claims are checked. */
  private async verified(token: string): Promise<{ claims: TokenClaims; expiresAt: number }> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new UnauthenticatedError('the token is not valid');
    }
    const verifier = typeof alg === 'string' ? this.verifiers.get(alg) : undefined;
    if (!verifier) throw new UnauthenticatedError('the token is not valid');
    let payload: JWTPayload;
    try {
      payload = (await jwtVerify(token, verifier.key, verifier.options)).payload;
    } catch (error) {
      throw refusal(error);
    }
    const claims = readClaims(payload, verifier.claims);
    if (typeof claims === 'string') throw new UnauthenticatedError(claims);
    // readClaims refuses a token without a numeric exp.
    return { claims, expiresAt: payload.exp as number };
  }

  /**
   * The identity provider's key set, fetched on first use and cached. A fetch that fails is logged
   * and the token refused as SERVICE_UNAVAILABLE; a `kid` the set lacks stays an invalid token.
   */
  private remoteKeys(url: string): JWTVerifyGetKey {
    const keySet = createRemoteJWKSet(new URL(url), {
      timeoutDuration: JWKS_TIMEOUT_MS,
      cooldownDuration: this.config.auth.jwksCooldownSeconds * 1000,
      cacheMaxAge: this.config.auth.jwksCacheSeconds * 1000,
    });
    return async (header, token) => {
      try {
        return await keySet(header, token);
      } catch (error) {
        if (
          error instanceof errors.JWKSNoMatchingKey ||
          error instanceof errors.JWKSMultipleMatchingKeys ||
          error instanceof errors.JOSENotSupported
        ) {
          throw error;
        }
        this.logger.warn(
          `cannot fetch the identity provider's keys from ${url}: ${(error as Error).message}`,
        );
        throw new KeysUnavailable();
      }
    };
  }

  /** Record (or refresh) the user these claims describe and return them as an Actor; the CLI acts through it too. */
  async recordUser(claims: TokenClaims): Promise<Actor> {
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
    // One statement: the upsert's id when it wrote, else the id of the row that was already there
    // unchanged (the WHERE of the upsert). A row another request inserted after this statement's
    // snapshot is in neither: then it is read on its own.
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `WITH upserted AS (
         INSERT INTO app_user (subject, name, roles, provider_id) VALUES ($1, $2, $3::role[], $4)
         ON CONFLICT (subject) DO UPDATE SET name = EXCLUDED.name, roles = EXCLUDED.roles,
           provider_id = EXCLUDED.provider_id, updated_at = now()
         WHERE (app_user.name, app_user.roles, app_user.provider_id) IS DISTINCT FROM
               (EXCLUDED.name, EXCLUDED.roles, EXCLUDED.provider_id)
         RETURNING id
       )
       SELECT id FROM upserted
       UNION ALL
       SELECT id FROM app_user WHERE subject = $1 AND NOT EXISTS (SELECT 1 FROM upserted)`,
      [claims.sub, claims.name, claims.roles, providerId],
    );
    const existing = rows[0]
      ? rows
      : await this.dataSource.query<Array<{ id: string }>>('SELECT id FROM app_user WHERE subject = $1', [
          claims.sub,
        ]);
    const id = existing[0].id;
    return { userId: id, subject: claims.sub, name: claims.name, roles: claims.roles, providerId };
  }

  /** Sign a token for local use (npm run token, tests); only where local tokens are accepted. */
  sign(claims: TokenClaims, expiresInSeconds = 12 * 3600): string {
    if (this.config.jwtSecret === null) throw new Error('local tokens are switched off: no AUTH_JWT_SECRET');
    return signToken(this.config.jwtSecret, claims, expiresInSeconds);
  }
}

export function signToken(secret: string, claims: TokenClaims, expiresInSeconds = 12 * 3600): string {
  const payload: Record<string, unknown> = { sub: claims.sub, name: claims.name, roles: claims.roles };
  if (claims.org) payload.org = claims.org;
  return jwt.sign(payload, secret, { algorithm: 'HS256', expiresIn: expiresInSeconds });
}
