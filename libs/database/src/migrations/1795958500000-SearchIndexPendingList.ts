import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ix_blocker_search (GIN) keeps new entries in a pending list that every search reads in full until
 * the list is merged into the index (by vacuum, or by the insert that finds it over the limit). Every
 * non-HOT update of a blocker (a score recompute moves many) adds its whole search document there. With
 * the default limit of 4 MB a search read up to 512 pending pages (about 20 µs each: up to 10 ms) on
 * a registry being written to; 512 kB bounds that at 64 pages. Merging then happens in smaller batches,
 * about the same work in total. The list there is now is merged at once.
 */
export class SearchIndexPendingList1795958500000 implements MigrationInterface {
  name = 'SearchIndexPendingList1795958500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER INDEX "ix_blocker_search" SET (gin_pending_list_limit = 512)`);
    await queryRunner.query(`SELECT gin_clean_pending_list('"ix_blocker_search"'::regclass)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER INDEX "ix_blocker_search" RESET (gin_pending_list_limit)`);
  }
}
