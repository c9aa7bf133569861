import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * blocker.priority_inputs: the counts a score is computed from besides the blocker's own fields (annual
 * cases and providers of its needs, needs unblocked, open dependents), written with the score, so that a
 * report can bring its neighbours' scores up to date from them (ADR 12). Existing rows start without
 * them (null): the server counts them in full when it starts, and until then a report whose
 * neighbourhood holds such a row recomputes that neighbourhood in full.
 */
export class PriorityInputs1795959000000 implements MigrationInterface {
  name = 'PriorityInputs1795959000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "blocker" ADD "priority_inputs" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "blocker" DROP COLUMN "priority_inputs"`);
  }
}
