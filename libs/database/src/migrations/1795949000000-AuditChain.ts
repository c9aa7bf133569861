import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail becomes append-only in the database itself and tamper-evident: triggers refuse
 * UPDATE, DELETE and TRUNCATE on audit_event, and every new event carries a SHA-256 hash over its
 * content and the previous event's hash (chain order: chain_seq, assigned under a lock at insert).
 */
export class AuditChain1795949000000 implements MigrationInterface {
  name = 'AuditChain1795949000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_event" ADD "chain_seq" bigint`);
    await queryRunner.query(`ALTER TABLE "audit_event" ADD "prev_hash" character(64)`);
    await queryRunner.query(`ALTER TABLE "audit_event" ADD "hash" character(64)`);
    await queryRunner.query(`
      CREATE FUNCTION audit_event_digest(e audit_event, prev character(64)) RETURNS character(64)
      LANGUAGE sql IMMUTABLE AS $$
        SELECT encode(sha256(convert_to(concat_ws('|',
          e.chain_seq::text, e.id::text,
          to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
          coalesce(e.actor_id::text, ''), e.action, e.entity_type, e.entity_id::text,
          coalesce(e.blocker_id::text, ''), e.changes::text, coalesce(e.reason, ''), coalesce(prev, '')
        ), 'UTF8')), 'hex')
      $$`);
    // Existing events are chained in id order once, here.
    await queryRunner.query(`
      DO $$
      DECLARE r audit_event; prev character(64) := NULL; seq bigint := 0;
      BEGIN
        FOR r IN SELECT * FROM audit_event ORDER BY id LOOP
          seq := seq + 1;
          r.chain_seq := seq;
          r.prev_hash := prev;
          r.hash := audit_event_digest(r, prev);
          UPDATE audit_event SET chain_seq = r.chain_seq, prev_hash = r.prev_hash, hash = r.hash WHERE id = r.id;
          prev := r.hash;
        END LOOP;
      END $$`);
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER COLUMN "chain_seq" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER COLUMN "hash" SET NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_audit_event_chain_seq" ON "audit_event" ("chain_seq")`);
    await queryRunner.query(`
      CREATE FUNCTION audit_event_chain() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await queryRunner.query(`
      CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_chain()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_event_no_truncate ON audit_event`);
    await queryRunner.query(`DROP TRIGGER audit_event_append_only ON audit_event`);
    await queryRunner.query(`DROP TRIGGER audit_event_chain ON audit_event`);
    await queryRunner.query(`DROP FUNCTION audit_event_refuse_change()`);
    await queryRunner.query(`DROP FUNCTION audit_event_chain()`);
    await queryRunner.query(`DROP INDEX "uq_audit_event_chain_seq"`);
    await queryRunner.query(`DROP FUNCTION audit_event_digest(audit_event, character)`);
    await queryRunner.query(`ALTER TABLE "audit_event" DROP COLUMN "hash"`);
    await queryRunner.query(`ALTER TABLE "audit_event" DROP COLUMN "prev_hash"`);
    await queryRunner.query(`ALTER TABLE "audit_event" DROP COLUMN "chain_seq"`);
  }
}
