/**
 * Writes a migration with the SQL that brings a database migrated to the latest committed migration
 * in line with the entities. Review the file before committing it.
 *   DATABASE_URL=postgres://... npm run migration:generate -- AddSomething
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource, runMigrations } from '@app/database';

async function main(): Promise<void> {
  const name = process.argv[2];
  const url = process.env.DATABASE_URL;
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name) || !url) {
    console.error('usage: DATABASE_URL=postgres://... npm run migration:generate -- CamelCaseName');
    process.exit(2);
  }
  const ds = createDataSource({ url });
  await ds.initialize();
  await runMigrations(ds);
  const sql = await ds.driver.createSchemaBuilder().log();
  await ds.destroy();
  if (sql.upQueries.length === 0) {
    console.log('entities and migrations agree; nothing to generate');
    return;
  }
  const stamp = Date.now();
  const quote = (q: string): string =>
    '`' + q.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  const up = sql.upQueries.map((q) => `    await queryRunner.query(${quote(q.query)});`).join('\n');
  const down = [...sql.downQueries]
    .reverse()
    .map((q) => `    await queryRunner.query(${quote(q.query)});`)
    .join('\n');
  const file = join('libs/database/src/migrations', `${stamp}-${name}.ts`);
  writeFileSync(
    file,
    `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${stamp} implements MigrationInterface {\n  name = '${name}${stamp}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
  );
  console.log(`wrote ${file}; add it to libs/database/src/migrations/index.ts`);
}

void main();
