import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A partial index over the open blockers (id, number): the graph analytics read the whole open set and
 * join the links and dependencies to it on every request, which this turns into an index-only scan of
 * about a megabyte instead of a scan of every (wide) blocker row.
 */
export class OpenBlockerIndex1795953684357 implements MigrationInterface {
  name = 'OpenBlockerIndex1795953684357';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_blocker_open" ON "blocker" ("id", "number") WHERE status IN ('REPORTED', 'TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'ESCALATED')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_open"`);
  }
}
