import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A blocker's affected needs are listed oldest need first. Ordering by data_need.created_at meant
 * reading every need of every blocker on the page (about 5 000 for the top 50 by priority) to keep five
 * each. The link now carries a copy of the need's creation time, filled and kept by the database
 * (triggers, so that every writer of links stays as it is), and the index ix_blocker_need_oldest
 * answers "the first n needs of this blocker after a cursor" by reading n index entries.
 */
export class AffectedNeedOrder1795957000000 implements MigrationInterface {
  name = 'AffectedNeedOrder1795957000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "blocker_need" ADD "need_created_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `UPDATE blocker_need bn SET need_created_at = n.created_at FROM data_need n WHERE n.id = bn.need_id`,
    );
    await queryRunner.query(`ALTER TABLE "blocker_need" ALTER COLUMN "need_created_at" SET NOT NULL`);
    await queryRunner.query(`
      CREATE FUNCTION blocker_need_need_created_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT n.created_at INTO NEW.need_created_at FROM data_need n WHERE n.id = NEW.need_id;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER blocker_need_need_created_at BEFORE INSERT OR UPDATE ON blocker_need FOR EACH ROW EXECUTE FUNCTION blocker_need_need_created_at()`,
    );
    await queryRunner.query(`
      CREATE FUNCTION data_need_created_at_to_links() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE blocker_need SET need_created_at = NEW.created_at WHERE need_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER data_need_created_at_to_links AFTER UPDATE OF created_at ON data_need FOR EACH ROW WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at) EXECUTE FUNCTION data_need_created_at_to_links()`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_blocker_need_oldest" ON "blocker_need" ("blocker_id", "need_created_at", "need_id") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_need_oldest"`);
    await queryRunner.query(`DROP TRIGGER data_need_created_at_to_links ON data_need`);
    await queryRunner.query(`DROP FUNCTION data_need_created_at_to_links()`);
    await queryRunner.query(`DROP TRIGGER blocker_need_need_created_at ON blocker_need`);
    await queryRunner.query(`DROP FUNCTION blocker_need_need_created_at()`);
    await queryRunner.query(`ALTER TABLE "blocker_need" DROP COLUMN "need_created_at"`);
  }
}
