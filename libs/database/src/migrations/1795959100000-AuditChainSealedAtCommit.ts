import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An audit event takes its place in the hash chain when its transaction commits, not when it is
 * inserted (ADR 14). The insert leaves `chain_seq`, `prev_hash` and `hash` empty (whatever a client
 * sends for them); a deferred constraint trigger fills them in at commit, under the chain's lock,
 * which is then held only for the commit itself and not from the insert to the commit. A committed
 * event is always sealed; only the inserting transaction ever sees one unsealed, and the one change
 * the append-only trigger lets through is that seal, once, with the content untouched.
 */
export class AuditChainSealedAtCommit1795959100000 implements MigrationInterface {
  name = 'AuditChainSealedAtCommit1795959100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER COLUMN "chain_seq" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER COLUMN "hash" DROP NOT NULL`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The seal is the database's to give, at commit (audit_event_seal).
        NEW.chain_seq := NULL;
        NEW.prev_hash := NULL;
        NEW.hash := NULL;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION audit_event_seal() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE last audit_event; sealed audit_event;
      BEGIN
        -- One transaction at a time extends the chain, from here to the end of its commit; the
        -- previous holder's events are committed, and so visible, before it lets go.
        PERFORM pg_advisory_xact_lock(4812210);
        SELECT * INTO last FROM audit_event WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
        sealed := NEW;
        sealed.chain_seq := coalesce(last.chain_seq, 0) + 1;
        sealed.prev_hash := last.hash;
        sealed.hash := audit_event_digest(sealed, last.hash);
        UPDATE audit_event SET chain_seq = sealed.chain_seq, prev_hash = sealed.prev_hash, hash = sealed.hash
         WHERE id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE CONSTRAINT TRIGGER audit_event_seal AFTER INSERT ON audit_event
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_event_seal()`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- The seal at commit: an unsealed event gets its place and hash, and nothing else changes.
        IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND OLD.chain_seq IS NULL
           AND NEW.hash IS NOT NULL AND NEW.chain_seq IS NOT NULL
           AND (NEW.id, NEW.at, NEW.actor_id, NEW.action, NEW.entity_type, NEW.entity_id, NEW.blocker_id,
                NEW.changes, NEW.reason)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.at, OLD.actor_id, OLD.action, OLD.entity_type, OLD.entity_id, OLD.blocker_id,
                OLD.changes, OLD.reason) THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_event_seal ON audit_event`);
    await queryRunner.query(`DROP FUNCTION audit_event_seal()`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE last audit_event;
      BEGIN
        -- One writer at a time extends the chain; held until the writing transaction ends.
        PERFORM pg_advisory_xact_lock(4812210);
        SELECT * INTO last FROM audit_event ORDER BY chain_seq DESC LIMIT 1;
        NEW.chain_seq := coalesce(last.chain_seq, 0) + 1;
        NEW.prev_hash := last.hash;
        NEW.hash := audit_event_digest(NEW, last.hash);
        RETURN NEW;
      END $$`);
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER COLUMN "hash" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER COLUMN "chain_seq" SET NOT NULL`);
  }
}
