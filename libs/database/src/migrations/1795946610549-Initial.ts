import { MigrationInterface, QueryRunner } from 'typeorm';

export class Initial1795946610549 implements MigrationInterface {
  name = 'Initial1795946610549';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TYPE "public"."provider_kind" AS ENUM('MINISTRY', 'EXECUTIVE_AGENCY', 'MUNICIPALITY', 'PROVINCE', 'WATER_BOARD', 'CHAIN_ORGANISATION', 'OTHER')`,
    );
    await queryRunner.query(
      `CREATE TABLE "provider" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "abbreviation" text, "kind" "public"."provider_kind" NOT NULL, "oin" character(20), "tooi_uri" text, "parent_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6ab2f66d8987bf1bfdd6136a2d5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_provider_parent" ON "provider"  ("parent_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_provider_tooi_uri" ON "provider"  ("tooi_uri") WHERE tooi_uri IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_provider_oin" ON "provider"  ("oin") WHERE oin IS NOT NULL`,
    );
    await queryRunner.query(`CREATE TYPE "public"."role" AS ENUM('ADMIN', 'STEERING', 'STEWARD', 'ANALYST')`);
    await queryRunner.query(
      `CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subject" text NOT NULL, "name" text NOT NULL, "roles" "public"."role" array NOT NULL, "provider_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_user_subject" ON "app_user"  ("subject") `);
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_id" uuid, "action" text NOT NULL, "entity_type" text NOT NULL, "entity_id" uuid NOT NULL, "blocker_id" uuid, "changes" jsonb NOT NULL DEFAULT '[]', "reason" text, CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_event_entity" ON "audit_event"  ("entity_type", "entity_id", "id") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_audit_event_blocker" ON "audit_event"  ("blocker_id", "id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."blocker_type" AS ENUM('NO_LEGAL_BASIS', 'PURPOSE_LIMITATION', 'CONFIDENTIALITY_DUTY', 'BASIS_NOT_FOR_CHAIN', 'LEGAL_UNCERTAINTY', 'CONSENT_REQUIRED', 'PENDING_ADVICE', 'UNCLEAR_RESPONSIBILITY', 'PROCESS_MISALIGNMENT', 'NO_AGREEMENT', 'NO_CAPACITY', 'NO_FEEDBACK_LOOP', 'DEFINITION_MISMATCH', 'DATA_QUALITY', 'IDENTIFICATION', 'GRANULARITY', 'NO_SHARED_VOCABULARY', 'NO_INTERFACE', 'LEGACY_SYSTEM', 'AVAILABILITY', 'SECURITY', 'PROTOCOL_MISMATCH', 'NO_DECISION_MAKER', 'FINANCING', 'STANDARDS_CHOICE', 'POLITICAL_PRIORITY')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."blocker_layer" AS ENUM('LEGAL', 'ORGANISATIONAL', 'SEMANTIC', 'TECHNICAL', 'GOVERNANCE')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."severity" AS ENUM('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')`);
    await queryRunner.query(
      `CREATE TYPE "public"."blocker_status" AS ENUM('REPORTED', 'TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'ESCALATED', 'RESOLVED', 'REJECTED', 'DUPLICATE', 'WITHDRAWN')`,
    );
    await queryRunner.query(`CREATE TYPE "public"."effort" AS ENUM('XS', 'S', 'M', 'L', 'XL')`);
    await queryRunner.query(
      `CREATE TYPE "public"."priority_level" AS ENUM('URGENT', 'HIGH', 'MEDIUM', 'LOW')`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."resolution_kind" AS ENUM('GUIDANCE', 'LEGAL_INTERPRETATION', 'AGREEMENT', 'TEMPORARY_REGULATION', 'LEGISLATION', 'TECHNICAL_PROVISION', 'PROCESS_CHANGE', 'DATA_QUALITY_FIX', 'OTHER')`,
    );
    await queryRunner.query(
      `CREATE TABLE "blocker" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" SERIAL NOT NULL, "title" text NOT NULL, "description" text NOT NULL, "type" "public"."blocker_type" NOT NULL, "layer" "public"."blocker_layer" NOT NULL, "perceived" boolean NOT NULL DEFAULT false, "legal_reference" text, "severity" "public"."severity" NOT NULL, "status" "public"."blocker_status" NOT NULL DEFAULT 'REPORTED', "confidential" boolean NOT NULL DEFAULT false, "reported_by_id" uuid, "reporting_provider_id" uuid NOT NULL, "owner_id" uuid, "people_affected_per_year" integer, "businesses_affected_per_year" integer, "manual_hours_per_year" integer, "cost_per_year_eur" bigint, "effort" "public"."effort", "target_date" date, "priority_score" double precision NOT NULL DEFAULT '0', "priority_factors" jsonb NOT NULL DEFAULT '[]', "priority_level" "public"."priority_level", "priority_rank" integer, "priority_rationale" text, "priority_decided_at" TIMESTAMP WITH TIME ZONE, "resolution_kind" "public"."resolution_kind", "resolution_summary" text, "resolution_reference" text, "resolved_at" TIMESTAMP WITH TIME ZONE, "duplicate_of_id" uuid, "endorsement_count" integer NOT NULL DEFAULT '0', "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "status_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_blocker_rank" UNIQUE ("priority_rank") DEFERRABLE INITIALLY DEFERRED, CONSTRAINT "ck_blocker_version_positive" CHECK (version > 0), CONSTRAINT "ck_blocker_rank_positive" CHECK (priority_rank IS NULL OR priority_rank > 0), CONSTRAINT "PK_faef2574ecdb8883332f1dcbda4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_blocker_duplicate_of" ON "blocker"  ("duplicate_of_id") `);
    await queryRunner.query(`CREATE INDEX "ix_blocker_owner" ON "blocker"  ("owner_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_blocker_reporting_provider" ON "blocker"  ("reporting_provider_id") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_blocker_status" ON "blocker"  ("status") `);
    await queryRunner.query(`CREATE INDEX "ix_blocker_created" ON "blocker"  ("created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_blocker_priority" ON "blocker"  ("priority_score", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_blocker_number" ON "blocker"  ("number") `);
    await queryRunner.query(
      `CREATE TABLE "dataset" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "holder_id" uuid NOT NULL, "name" text NOT NULL, "code" text, "description" text, "is_base_registry" boolean NOT NULL DEFAULT false, "contains_personal_data" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_36c1c67adb3d1dd69ae57f18913" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_dataset_holder" ON "dataset"  ("holder_id", "id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_dataset_holder_code" ON "dataset"  ("holder_id", "code") WHERE code IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE TYPE "public"."data_need_state" AS ENUM('REQUESTED', 'BLOCKED', 'FLOWING', 'WITHDRAWN')`,
    );
    await queryRunner.query(
      `CREATE TABLE "data_need" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "requester_id" uuid NOT NULL, "supplier_id" uuid NOT NULL, "dataset_id" uuid, "data_elements" text array NOT NULL, "purpose" text NOT NULL, "service" text, "legal_basis" text, "annual_cases" integer, "state" "public"."data_need_state" NOT NULL DEFAULT 'REQUESTED', "created_by_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b80d011c182cadc1fc389d191d4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_data_need_state" ON "data_need"  ("state") `);
    await queryRunner.query(`CREATE INDEX "ix_data_need_dataset" ON "data_need"  ("dataset_id") `);
    await queryRunner.query(`CREATE INDEX "ix_data_need_supplier" ON "data_need"  ("supplier_id", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_data_need_requester" ON "data_need"  ("requester_id", "id") `);
    await queryRunner.query(
      `CREATE TABLE "blocker_need" ("blocker_id" uuid NOT NULL, "need_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_blocker_need" PRIMARY KEY ("blocker_id", "need_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_blocker_need_need" ON "blocker_need"  ("need_id", "blocker_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "endorsement" ("blocker_id" uuid NOT NULL, "provider_id" uuid NOT NULL, "user_id" uuid, "note" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "pk_endorsement" PRIMARY KEY ("blocker_id", "provider_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_endorsement_provider" ON "endorsement"  ("provider_id") `);
    await queryRunner.query(
      `CREATE TABLE "blocker_dependency" ("blocker_id" uuid NOT NULL, "depends_on_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_blocker_dependency_not_self" CHECK (blocker_id <> depends_on_id), CONSTRAINT "pk_blocker_dependency" PRIMARY KEY ("blocker_id", "depends_on_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_blocker_dependency_depends_on" ON "blocker_dependency"  ("depends_on_id", "blocker_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "comment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "blocker_id" uuid NOT NULL, "author_id" uuid NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0b0e4bbc8415ec426f87f3a88e2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_comment_blocker" ON "comment"  ("blocker_id", "created_at", "id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "provider" ADD CONSTRAINT "FK_cf863541ace9080ee8d569673a5" FOREIGN KEY ("parent_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "app_user" ADD CONSTRAINT "FK_f7aa348bb7b1d1f98fdca2ab5be" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "audit_event" ADD CONSTRAINT "FK_f44b7e9c0d50176bc07e018f637" FOREIGN KEY ("actor_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "blocker" ADD CONSTRAINT "FK_3f4d991272a4e866cce28159503" FOREIGN KEY ("reported_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "blocker" ADD CONSTRAINT "FK_3572c73a3a93b6f6765744449f9" FOREIGN KEY ("reporting_provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "blocker" ADD CONSTRAINT "FK_b5fc9c5f2296e1225773c985186" FOREIGN KEY ("owner_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "blocker" ADD CONSTRAINT "FK_031abd0e177c477acb8eb71a7bf" FOREIGN KEY ("duplicate_of_id") REFERENCES "blocker"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "dataset" ADD CONSTRAINT "FK_e4938a5154028572676ee8a792f" FOREIGN KEY ("holder_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "data_need" ADD CONSTRAINT "FK_6ba9684284e8b9eb3545339f214" FOREIGN KEY ("requester_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "data_need" ADD CONSTRAINT "FK_98337f6155f75b70ea93662c960" FOREIGN KEY ("supplier_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "data_need" ADD CONSTRAINT "FK_6cbd6036f8f4c529e9cceb1a2e3" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "data_need" ADD CONSTRAINT "FK_2aed10f942327658355bedea15b" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "blocker_need" ADD CONSTRAINT "FK_367151fcbcb423e191ab5fc86c2" FOREIGN KEY ("blocker_id") REFERENCES "blocker"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "blocker_need" ADD CONSTRAINT "FK_946aaf2656e6c66fe254c96d0c5" FOREIGN KEY ("need_id") REFERENCES "data_need"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "endorsement" ADD CONSTRAINT "FK_20001594113d753db3faeac579e" FOREIGN KEY ("blocker_id") REFERENCES "blocker"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "endorsement" ADD CONSTRAINT "FK_471a2f2a808645a0c5e68b466f6" FOREIGN KEY ("provider_id") REFERENCES "provider"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "endorsement" ADD CONSTRAINT "FK_c1913bef0a847233ae669d52d31" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "blocker_dependency" ADD CONSTRAINT "FK_45570346ab2cae65c297702d161" FOREIGN KEY ("blocker_id") REFERENCES "blocker"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "blocker_dependency" ADD CONSTRAINT "FK_30c5d9e8385ba530fc459d8b0a0" FOREIGN KEY ("depends_on_id") REFERENCES "blocker"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comment" ADD CONSTRAINT "FK_c7b58415baf482acf39287b9723" FOREIGN KEY ("blocker_id") REFERENCES "blocker"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comment" ADD CONSTRAINT "FK_3ce66469b26697baa097f8da923" FOREIGN KEY ("author_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "comment" DROP CONSTRAINT "FK_3ce66469b26697baa097f8da923"`);
    await queryRunner.query(`ALTER TABLE "comment" DROP CONSTRAINT "FK_c7b58415baf482acf39287b9723"`);
    await queryRunner.query(
      `ALTER TABLE "blocker_dependency" DROP CONSTRAINT "FK_30c5d9e8385ba530fc459d8b0a0"`,
    );
    await queryRunner.query(
      `ALTER TABLE "blocker_dependency" DROP CONSTRAINT "FK_45570346ab2cae65c297702d161"`,
    );
    await queryRunner.query(`ALTER TABLE "endorsement" DROP CONSTRAINT "FK_c1913bef0a847233ae669d52d31"`);
    await queryRunner.query(`ALTER TABLE "endorsement" DROP CONSTRAINT "FK_471a2f2a808645a0c5e68b466f6"`);
    await queryRunner.query(`ALTER TABLE "endorsement" DROP CONSTRAINT "FK_20001594113d753db3faeac579e"`);
    await queryRunner.query(`ALTER TABLE "blocker_need" DROP CONSTRAINT "FK_946aaf2656e6c66fe254c96d0c5"`);
    await queryRunner.query(`ALTER TABLE "blocker_need" DROP CONSTRAINT "FK_367151fcbcb423e191ab5fc86c2"`);
    await queryRunner.query(`ALTER TABLE "data_need" DROP CONSTRAINT "FK_2aed10f942327658355bedea15b"`);
    await queryRunner.query(`ALTER TABLE "data_need" DROP CONSTRAINT "FK_6cbd6036f8f4c529e9cceb1a2e3"`);
    await queryRunner.query(`ALTER TABLE "data_need" DROP CONSTRAINT "FK_98337f6155f75b70ea93662c960"`);
    await queryRunner.query(`ALTER TABLE "data_need" DROP CONSTRAINT "FK_6ba9684284e8b9eb3545339f214"`);
    await queryRunner.query(`ALTER TABLE "dataset" DROP CONSTRAINT "FK_e4938a5154028572676ee8a792f"`);
    await queryRunner.query(`ALTER TABLE "blocker" DROP CONSTRAINT "FK_031abd0e177c477acb8eb71a7bf"`);
    await queryRunner.query(`ALTER TABLE "blocker" DROP CONSTRAINT "FK_b5fc9c5f2296e1225773c985186"`);
    await queryRunner.query(`ALTER TABLE "blocker" DROP CONSTRAINT "FK_3572c73a3a93b6f6765744449f9"`);
    await queryRunner.query(`ALTER TABLE "blocker" DROP CONSTRAINT "FK_3f4d991272a4e866cce28159503"`);
    await queryRunner.query(`ALTER TABLE "audit_event" DROP CONSTRAINT "FK_f44b7e9c0d50176bc07e018f637"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP CONSTRAINT "FK_f7aa348bb7b1d1f98fdca2ab5be"`);
    await queryRunner.query(`ALTER TABLE "provider" DROP CONSTRAINT "FK_cf863541ace9080ee8d569673a5"`);
    await queryRunner.query(`DROP INDEX "public"."ix_comment_blocker"`);
    await queryRunner.query(`DROP TABLE "comment"`);
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_dependency_depends_on"`);
    await queryRunner.query(`DROP TABLE "blocker_dependency"`);
    await queryRunner.query(`DROP INDEX "public"."ix_endorsement_provider"`);
    await queryRunner.query(`DROP TABLE "endorsement"`);
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_need_need"`);
    await queryRunner.query(`DROP TABLE "blocker_need"`);
    await queryRunner.query(`DROP INDEX "public"."ix_data_need_requester"`);
    await queryRunner.query(`DROP INDEX "public"."ix_data_need_supplier"`);
    await queryRunner.query(`DROP INDEX "public"."ix_data_need_dataset"`);
    await queryRunner.query(`DROP INDEX "public"."ix_data_need_state"`);
    await queryRunner.query(`DROP TABLE "data_need"`);
    await queryRunner.query(`DROP TYPE "public"."data_need_state"`);
    await queryRunner.query(`DROP INDEX "public"."uq_dataset_holder_code"`);
    await queryRunner.query(`DROP INDEX "public"."ix_dataset_holder"`);
    await queryRunner.query(`DROP TABLE "dataset"`);
    await queryRunner.query(`DROP INDEX "public"."uq_blocker_number"`);
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_priority"`);
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_reporting_provider"`);
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_owner"`);
    await queryRunner.query(`DROP INDEX "public"."ix_blocker_duplicate_of"`);
    await queryRunner.query(`DROP TABLE "blocker"`);
    await queryRunner.query(`DROP TYPE "public"."resolution_kind"`);
    await queryRunner.query(`DROP TYPE "public"."priority_level"`);
    await queryRunner.query(`DROP TYPE "public"."effort"`);
    await queryRunner.query(`DROP TYPE "public"."blocker_status"`);
    await queryRunner.query(`DROP TYPE "public"."severity"`);
    await queryRunner.query(`DROP TYPE "public"."blocker_layer"`);
    await queryRunner.query(`DROP TYPE "public"."blocker_type"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_event_blocker"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_event_entity"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP INDEX "public"."uq_user_subject"`);
    await queryRunner.query(`DROP TABLE "app_user"`);
    await queryRunner.query(`DROP TYPE "public"."role"`);
    await queryRunner.query(`DROP INDEX "public"."uq_provider_oin"`);
    await queryRunner.query(`DROP INDEX "public"."uq_provider_tooi_uri"`);
    await queryRunner.query(`DROP INDEX "public"."ix_provider_parent"`);
    await queryRunner.query(`DROP TABLE "provider"`);
    await queryRunner.query(`DROP TYPE "public"."provider_kind"`);
  }
}
