import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `status IN ('REPORTED', 'TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'ESCALATED')`;
/** What the visibility rule reads of a blocker: an index including them serves every viewer alone. */
const VISIBILITY = `"confidential", "reporting_provider_id", "owner_id"`;

/**
 * The progress report reads indexes, not the (wide) blocker rows or the whole audit trail (ADR 13):
 * - ix_blocker_created also includes number, layer and what the visibility rule reads: the blockers
 *   reported in a period are counted and the first listed from the index alone;
 * - ix_blocker_open_since: the open blockers by status_changed_at, with what "open at the end" counts
 *   per layer and the stale list (longest unchanged first) needs;
 * - ix_blocker_status_changed: the blockers whose status changed since a moment, the only ones whose
 *   status then is looked up in the audit trail;
 * - ix_audit_event_transition: the workflow transitions of a period (resolved and reopened).
 * TypeORM cannot declare INCLUDE columns: the entities declare the first two with synchronize: false.
 */
export class ProgressReportIndexes1795958400000 implements MigrationInterface {
  name = 'ProgressReportIndexes1795958400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_created"`);
    await queryRunner.query(
      `CREATE INDEX "ix_blocker_created" ON "blocker" ("created_at", "id") INCLUDE ("number", "layer", ${VISIBILITY})`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_blocker_open_since" ON "blocker" ("status_changed_at", "number") INCLUDE ("id", "layer", "created_at", ${VISIBILITY}) WHERE ${OPEN}`,
    );
    await queryRunner.query(`CREATE INDEX "ix_blocker_status_changed" ON "blocker" ("status_changed_at") `);
    await queryRunner.query(
      `CREATE INDEX "ix_audit_event_transition" ON "audit_event" ("at") WHERE entity_type = 'Blocker' AND action = 'blocker.transitioned'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_audit_event_transition"`);
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_status_changed"`);
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_open_since"`);
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_created"`);
    await queryRunner.query(`CREATE INDEX "ix_blocker_created" ON "blocker" ("created_at", "id") `);
  }
}
