import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of mutations: per user and key, the hash of the request, the claim of the request
 * that runs it (executed_at is set in the mutation's own transaction), the stored response and an
 * expiry (24 h), swept by expires_at.
 */
export class IdempotencyKeys1795954226757 implements MigrationInterface {
  name = 'IdempotencyKeys1795954226757';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "idempotency_key" ("user_id" uuid NOT NULL, "key" text NOT NULL, "request_hash" character(64) NOT NULL, "claim_token" uuid NOT NULL, "claimed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "executed_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "response" jsonb, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_idempotency_key" PRIMARY KEY ("user_id", "key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_idempotency_key_expires_at" ON "idempotency_key" ("expires_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_idempotency_key_expires_at"`);
    await queryRunner.query(`DROP TABLE "idempotency_key"`);
  }
}
