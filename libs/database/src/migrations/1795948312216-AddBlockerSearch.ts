import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search over blockers (BlockerFilter.search): a stored generated tsvector column with the
 * key and legal reference as written and title, legal reference and description stemmed in Dutch and
 * English, and a GIN index on it.
 *
 * TypeORM compares a generated column's expression with the text it keeps in `typeorm_metadata`
 * (its migration runner creates that table before any migration runs when an entity has a generated
 * column). The row is keyed by database name, so it is written with current_database(): the same
 * migration then serves every database it runs on. The expression must equal
 * BLOCKER_SEARCH_DOCUMENT in libs/blockers/src/entities/blocker.entity.ts character for character.
 */
const SEARCH_DOCUMENT =
  `setweight(to_tsvector('simple'::regconfig, 'KNP-' || "number"::text), 'A') || ` +
  `setweight(to_tsvector('dutch'::regconfig, "title"), 'A') || ` +
  `setweight(to_tsvector('english'::regconfig, "title"), 'A') || ` +
  `setweight(to_tsvector('simple'::regconfig, coalesce("legal_reference", '')), 'B') || ` +
  `setweight(to_tsvector('dutch'::regconfig, coalesce("legal_reference", '')), 'B') || ` +
  `setweight(to_tsvector('english'::regconfig, coalesce("legal_reference", '')), 'B') || ` +
  `setweight(to_tsvector('dutch'::regconfig, "description"), 'C') || ` +
  `setweight(to_tsvector('english'::regconfig, "description"), 'C')`;

export class AddBlockerSearch1795948312216 implements MigrationInterface {
  name = 'AddBlockerSearch1795948312216';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "blocker" ADD "search_vector" tsvector GENERATED ALWAYS AS (${SEARCH_DOCUMENT}) STORED NOT NULL`,
    );
    await queryRunner.query(
      `INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value")
       VALUES (current_database(), current_schema(), 'blocker', 'GENERATED_COLUMN', 'search_vector', $1)`,
      [SEARCH_DOCUMENT],
    );
    await queryRunner.query(`CREATE INDEX "ix_blocker_search" ON "blocker" USING gin ("search_vector")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_search"`);
    await queryRunner.query(
      `DELETE FROM "typeorm_metadata"
       WHERE "type" = 'GENERATED_COLUMN' AND "name" = 'search_vector' AND "database" = current_database()
         AND "schema" = current_schema() AND "table" = 'blocker'`,
    );
    await queryRunner.query(`ALTER TABLE "blocker" DROP COLUMN "search_vector"`);
  }
}
