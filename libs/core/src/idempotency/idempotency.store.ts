import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError } from '../errors';
import { StoredResponse } from './idempotency-key.entity';

/** How long a key and its response are kept. */
export const KEY_TTL_SECONDS = 24 * 3600;
/**
 * A claim that has written nothing for this long is taken as abandoned (its server died) and may be
 * taken over by a retry; should the first request still be alive, its transaction is then refused.
 */
export const ABANDONED_AFTER_SECONDS = 60;
/** How long a duplicate waits for the first request before it is told CONFLICT "in progress". */
export const WAIT_FOR_FIRST_MS = 10_000;
const POLL_MS = 100;
const SWEEP_EVERY_MS = 3600_000;

/** The hold of one request on one key. */
export interface Claim {
  userId: string;
  key: string;
  token: string;
}

export type ClaimOutcome =
  /** This request holds the key: run the mutation. */
  | { kind: 'claimed'; claim: Claim }
  /** The key's request has been answered: answer the same. */
  | { kind: 'replay'; response: StoredResponse }
  /** The key came with another request. */
  | { kind: 'mismatch' }
  /** The key's first request is still running (after waiting WAIT_FOR_FIRST_MS). */
  | { kind: 'in-progress' }
  /** The key's request wrote its changes, but its server stopped before the response was stored. */
  | { kind: 'lost' };

interface KeyRow {
  request_hash: string;
  executed: boolean;
  completed: boolean;
  stale: boolean;
  response: StoredResponse | null;
}

/** Rows an UPDATE or DELETE ... RETURNING touched (as a SELECT, whose result TypeORM passes on as rows). */
async function count(manager: EntityManager, statement: string, params: unknown[] = []): Promise<number> {
  const rows: Array<{ n: number }> = await manager.query(
    `WITH touched AS (${statement}) SELECT count(*)::int AS n FROM touched`,
    params,
  );
  return rows[0].n;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Idempotency keys in PostgreSQL (table idempotency_key). A request claims its key before the
 * mutation runs, in a row of its own, so that a duplicate finds the claim and waits; the mutation's
 * transaction marks the claim executed (see `guard`), so that the claim and the writes commit
 * together; the response is stored once it is sent. Expired keys are swept every hour.
 */
@Injectable()
export class IdempotencyStore implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /**
   * Claim `key` for a request with `requestHash`: a new key, an expired one, or an abandoned claim of
   * the same request is taken; otherwise the existing key decides (replay, mismatch), waiting up to
   * `waitMs` while its first request is still running.
   */
  async claim(
    userId: string,
    key: string,
    requestHash: string,
    waitMs = WAIT_FOR_FIRST_MS,
  ): Promise<ClaimOutcome> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const token = randomUUID();
      // ON CONFLICT waits for a transaction that holds the row (the first request's mutation).
      const taken: Array<{ claim_token: string }> = await this.dataSource.query(
        `INSERT INTO idempotency_key AS k (user_id, key, request_hash, claim_token, claimed_at, expires_at)
         VALUES ($1, $2, $3, $4, now(), now() + make_interval(secs => $5))
         ON CONFLICT (user_id, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, claim_token = EXCLUDED.claim_token, claimed_at = now(),
               executed_at = NULL, completed_at = NULL, response = NULL, expires_at = EXCLUDED.expires_at
           WHERE k.expires_at <= now()
              OR (k.request_hash = EXCLUDED.request_hash AND k.executed_at IS NULL AND k.completed_at IS NULL
                  AND k.claimed_at <= now() - make_interval(secs => $6))
         RETURNING claim_token`,
        [userId, key, requestHash, token, KEY_TTL_SECONDS, ABANDONED_AFTER_SECONDS],
      );
      if (taken[0]?.claim_token === token) return { kind: 'claimed', claim: { userId, key, token } };
      const rows: KeyRow[] = await this.dataSource.query(
        `SELECT request_hash, executed_at IS NOT NULL AS executed, completed_at IS NOT NULL AS completed,
                claimed_at <= now() - make_interval(secs => $3) AS stale, response
         FROM idempotency_key WHERE user_id = $1 AND key = $2`,
        [userId, key, ABANDONED_AFTER_SECONDS],
      );
      const row = rows[0];
      if (!row) continue; // the first request failed and let go of the key: claim it
      if (row.request_hash !== requestHash) return { kind: 'mismatch' };
      if (row.completed) return { kind: 'replay', response: row.response ?? { data: null } };
      if (row.executed && row.stale) return { kind: 'lost' };
      if (Date.now() + POLL_MS > deadline) return { kind: 'in-progress' };
      await sleep(POLL_MS);
    }
  }

  /**
   * What the claim's request runs first in each of its transactions: marks the claim executed, in the
   * same transaction as the mutation's writes, and refuses to write once the claim was taken over.
   */
  guard(claim: Claim): (manager: EntityManager) => Promise<void> {
    return async (manager) => {
      const held = await count(
        manager,
        `UPDATE idempotency_key SET executed_at = coalesce(executed_at, now())
         WHERE user_id = $1 AND key = $2 AND claim_token = $3 RETURNING 1`,
        [claim.userId, claim.key, claim.token],
      );
      if (held === 0) {
        throw new ConflictError(
          'This request took too long and another request with the same Idempotency-Key took over',
        );
      }
    };
  }

  /**
   * Store the response for retries, when the mutation succeeded or wrote something anyway; when it
   * wrote nothing (it failed), let go of the key so that a corrected retry can run.
   */
  async finish(claim: Claim, response: StoredResponse, succeeded: boolean): Promise<void> {
    const params = [claim.userId, claim.key, claim.token];
    if (!succeeded) {
      const released = await count(
        this.dataSource.manager,
        `DELETE FROM idempotency_key WHERE user_id = $1 AND key = $2 AND claim_token = $3 AND executed_at IS NULL
         RETURNING 1`,
        params,
      );
      if (released > 0) return;
    }
    await this.dataSource.query(
      `UPDATE idempotency_key SET response = $4, completed_at = now()
       WHERE user_id = $1 AND key = $2 AND claim_token = $3`,
      [...params, JSON.stringify(response)],
    );
  }

  /** Delete expired keys. */
  async sweep(): Promise<number> {
    try {
      return await count(
        this.dataSource.manager,
        'DELETE FROM idempotency_key WHERE expires_at <= now() RETURNING 1',
      );
    } catch (error) {
      this.logger.warn(`could not delete expired idempotency keys: ${(error as Error).message}`);
      return 0;
    }
  }
}
