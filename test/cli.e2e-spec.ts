/**
 * The operator command line (apps/cli), run as a child process against fresh databases: imports with
 * their dry runs, idempotence and all-or-nothing transaction, exports per user, the JSON round trip,
 * and the progress report as Markdown and PDF.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { cli, inspectPdf, runCli } from './support/cli';
import { oinOf, reference } from './support/demo';
import { createDatabase, ROOT, TestServer, token } from './support/server';

const example = (name: string): string => resolve(ROOT, 'docs/examples', name);
const tmp = mkdtempSync(join(tmpdir(), 'knooppunt-cli-'));
const CONFIDENTIAL = reference.blockers.find((b) => b.confidential)!;
/** Each command is a process of its own that starts the domain libraries: tests run several. */
const SLOW = 300_000;

async function scalar(databaseUrl: string, sql: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(sql);
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
}

describe('knooppunt import, export and report', () => {
  let db: string;
  const counts = async () => ({
    blockers: await scalar(db, 'SELECT count(*) AS n FROM blocker'),
    needs: await scalar(db, 'SELECT count(*) AS n FROM data_need'),
    events: await scalar(db, 'SELECT count(*) AS n FROM audit_event'),
  });

  beforeAll(async () => {
    db = await createDatabase('cli');
    await cli(db, ['migrate']);
    const providers = await cli(db, ['import', example('providers.json')]);
    expect(providers.stdout).toMatch(/providers\s+35\s+0\s+0\s+0/);
  }, SLOW);

  it(
    'a dry run of the broken inventory names every problem by row and column and writes nothing',
    async () => {
      const before = await counts();
      const result = await runCli(db, ['import', example('inventory-broken.csv'), '--dry-run']);
      expect(result.code).toBe(1);
      const lines = result.stdout.split('\n');
      const problem = (row: number, column: string, text: string): void => {
        expect(lines.some((l) => l.includes(`row ${row}, column "${column}": `) && l.includes(text))).toBe(
          true,
        );
      };
      problem(4, 'layer', 'unknown layer "LEGALISH"');
      problem(5, 'title', 'missing title');
      problem(7, 'people_affected', '"veel" is not a whole number');
      problem(8, 'supplier', 'unknown provider "Ministerie van Toverkunst"');
      problem(11, 'severity', 'unknown severity "Urgent"');
      problem(12, 'layer', 'does not match type PROCESS_MISALIGNMENT');
      problem(12, 'depends_on', 'no blocker with key "k99"');
      problem(14, 'dataset', 'no dataset with code or name "XYZ"');
      problem(15, 'annual_cases', '"12,5" is not a whole number');
      expect(result.stdout).toContain('9 problems; nothing was written');
      expect(await counts()).toEqual(before);
    },
    SLOW,
  );

  it(
    'imports the inventory in one transaction, and a second run of any layout changes nothing',
    async () => {
      const before = await counts();
      const dry = await cli(db, ['import', example('inventory.csv'), '--dry-run']);
      expect(dry.stdout).toContain('Would do:');
      expect(dry.stdout).toMatch(/blockers\s+19\s+0\s+0\s+0/);
      expect(await counts()).toEqual(before);

      const real = await cli(db, ['import', example('inventory.csv')]);
      expect(real.stdout).toMatch(/needs\s+21\s+0\s+0\s+0/);
      expect(real.stdout).toMatch(/blockers\s+19\s+0\s+0\s+0/);
      expect(
        await scalar(db, "SELECT count(*) AS n FROM audit_event WHERE action = 'blocker.reported'"),
      ).toBe(19);
      // Statuses were reached through recorded transitions, as in the file.
      const wanted = reference.blockers.filter((b) => b.status === 'RESOLVED').length;
      expect(await scalar(db, "SELECT count(*) AS n FROM blocker WHERE status = 'RESOLVED'")).toBe(wanted);
      expect(await scalar(db, 'SELECT count(*) AS n FROM blocker_dependency')).toBe(
        reference.blockers.reduce((s, b) => s + b.dependsOn.length, 0),
      );
      const after = await counts();

      const again = await cli(db, ['import', example('inventory.csv')]);
      expect(again.stdout).toContain('Nothing to change');
      expect(again.stdout).toMatch(/blockers\s+0\s+0\s+19\s+0/);
      // The same inventory in a Dutch layout through a mapping, and as a workbook.
      const dutch = await cli(db, [
        'import',
        example('inventaris-nl.csv'),
        '--mapping',
        example('mapping-nl.json'),
      ]);
      expect(dutch.stdout).toContain('Nothing to change');
      expect(dutch.stdout).toContain('columns left alone: "Opmerking"');
      const workbook = await cli(db, ['import', example('inventory.xlsx')]);
      expect(workbook.stdout).toMatch(/needs\s+0\s+0\s+21\s+0/);
      expect(await counts()).toEqual(after);
    },
    SLOW,
  );

  it(
    'a change in the file updates the blocker through the services, with its audit event',
    async () => {
      const csv = readFileSync(example('inventory.csv'), 'utf8').replace(
        ',DEFINITION_MISMATCH,SEMANTIC,HIGH,',
        ',DEFINITION_MISMATCH,SEMANTIC,CRITICAL,',
      );
      expect(csv).not.toEqual(readFileSync(example('inventory.csv'), 'utf8'));
      const file = join(tmp, 'changed.csv');
      writeFileSync(file, csv);
      const result = await cli(db, ['import', file]);
      expect(result.stdout).toMatch(/update KNP-\d+: severity/);
      expect(result.stdout).toMatch(/blockers\s+0\s+1\s+18\s+0/);
      expect(await scalar(db, "SELECT count(*) AS n FROM audit_event WHERE action = 'blocker.updated'")).toBe(
        1,
      );
      await cli(db, ['import', example('inventory.csv')]);
    },
    SLOW,
  );

  it(
    'a failure half way leaves nothing behind',
    async () => {
      const before = await counts();
      const header = readFileSync(example('inventory.csv'), 'utf8').split(/\r?\n/)[0];
      const row = (key: string, title: string, dependsOn: string): string =>
        `${key},${title},Described,NO_AGREEMENT,,MEDIUM,no,,UWV,,REPORTED,,,,no,,,,${dependsOn},SVB,UWV,,,Purpose ${key},,,`;
      const file = join(tmp, 'cycle.csv');
      writeFileSync(
        file,
        [header, row('C1', 'First of a cycle', 'C2'), row('C2', 'Second of a cycle', 'C1')].join('\n'),
      );
      const result = await runCli(db, ['import', file]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/row [23], column "depends_on": This dependency would close a cycle/);
      expect(await counts()).toEqual(before);
    },
    SLOW,
  );

  it(
    'exports what each user may see: confidential blockers only for those the rule allows',
    async () => {
      const titles = async (as: string): Promise<string> =>
        (await cli(db, ['export', '--format', 'csv', '--as', as])).stdout;
      const analyst = await titles('ANALYST');
      expect(analyst.split('\n')[0]).toContain('key,title,status,layer,type,severity,priority_score');
      expect(analyst).toContain(reference.blockers[0].title);
      expect(analyst).not.toContain(CONFIDENTIAL.title);
      expect(await titles('STEERING')).toContain(CONFIDENTIAL.title);
      expect(await titles('STEWARD/ROTTERDAM')).toContain(CONFIDENTIAL.title); // the reporting provider
      expect(await titles('STEWARD/UWV')).not.toContain(CONFIDENTIAL.title); // not involved

      const json = JSON.parse((await cli(db, ['export', '--format', 'json', '--as', 'ANALYST'])).stdout);
      expect(json.blockers).toHaveLength(18);
      const filtered = await cli(db, [
        'export',
        '--format',
        'csv',
        '--as',
        'ADMIN',
        '--filter',
        'status=RESOLVED',
      ]);
      expect(filtered.stdout.trim().split('\n')).toHaveLength(
        1 + reference.blockers.filter((b) => b.status === 'RESOLVED').length,
      );

      const out = join(tmp, 'steering.xlsx');
      await cli(db, ['export', '--format', 'xlsx', '--as', 'STEERING', '--out', out]);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(out);
      const sheet = workbook.worksheets[0];
      expect(sheet.rowCount).toBe(1 + 19);
      expect(sheet.getRow(1).getCell(1).value).toBe('key');
    },
    SLOW,
  );

  it(
    'writes the progress report as Markdown and as a PDF with its figures and the chart',
    async () => {
      const args = ['report', '--from', '2020-01-01', '--to', '2100-01-01', '--as', 'STEERING'];
      const md = (await cli(db, [...args, '--format', 'md'])).stdout;
      expect(md).toMatch(/^# Progress report on data-exchange blockers/);
      expect(md).toContain('| Blockers reported | 19 |');

      const file = join(tmp, 'report.pdf');
      await cli(db, [...args, '--format', 'pdf', '--out', file]);
      expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
      const pdf = await inspectPdf(file);
      const text = pdf.content.map((p) => p.text).join('\n');
      expect(pdf.title).toMatch(/^Progress report on data-exchange blockers/);
      for (const heading of ['Summary', 'Per layer', 'Resolved blockers', 'New blockers', 'Stale blockers'])
        expect(text).toContain(heading);
      expect(text).toMatch(/Blockers reported\s+19/);
      const resolved = reference.blockers.filter((b) => b.status === 'RESOLVED').length;
      expect(text).toMatch(new RegExp(`Blockers resolved\\s+${resolved}`));
      // The chart: its title and legend, and a filled bar per layer with open blockers, besides the legend.
      const chartPage = pdf.content.find((p) =>
        p.text.includes('Open and resolved blockers per layer over time'),
      );
      expect(chartPage).toBeDefined();
      // Everything happened today, in the chart's last step: one bar segment per layer with open
      // blockers and one per layer with resolved ones, as the Markdown's per-layer table counts them.
      const perLayer = [
        ...md.matchAll(/^\| (Legal|Organisational|Semantic|Technical|Governance) \| (\d+) \| (\d+) \|$/gm),
      ];
      expect(perLayer).toHaveLength(5);
      const segments = perLayer.reduce(
        (n, m) => n + (Number(m[2]) > 0 ? 1 : 0) + (Number(m[3]) > 0 ? 1 : 0),
        0,
      );
      expect(chartPage!.fills).toBe(5 + segments);
      expect(chartPage!.text).toMatch(/Legal\s+Organisational\s+Semantic\s+Technical\s+Governance/);
    },
    SLOW,
  );
});

describe('knooppunt JSON export and import: a round trip', () => {
  it(
    're-imports an export into an empty registry with nothing lost',
    async () => {
      // A registry filled through the API: the demo data (resolved blockers with their resolutions,
      // dependencies, a confidential blocker), steering decisions, endorsements, comments, and a
      // duplicate whose original was resolved after the merge.
      const server = await TestServer.start({ demo: true });
      const source = server.databaseUrl;
      const steering = token('STEERING');
      const steward = (key: string): string =>
        token('STEWARD', { org: oinOf(key), sub: `steward-${key.toLowerCase()}`, name: `Steward of ${key}` });
      type Node = { id: string; version: number; status: string; title: string };
      const byTitle = async (): Promise<Map<string, Node>> => {
        const { blockers } = await server.ok<{ blockers: { nodes: Node[] } }>(
          '{ blockers(first: 100) { nodes { id version status title } } }',
          {},
          steering,
        );
        return new Map(blockers.nodes.map((b) => [b.title, b]));
      };
      const titleOf = (key: string): string => reference.blockers.find((b) => b.key === key)!.title;
      const TRANSITION = `mutation ($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { id } }`;
      const ENDORSE = `mutation ($input: EndorseBlockerInput!) { endorseBlocker(input: $input) { id } }`;
      const COMMENT = `mutation ($input: AddCommentInput!) { addComment(input: $input) { id } }`;
      try {
        const { blockers } = await server.ok<{
          blockers: { nodes: Array<{ id: string; version: number; status: string }> };
        }>(
          '{ blockers(first: 100, filter: { status: [TRIAGED] }) { nodes { id version status } } }',
          {},
          steering,
        );
        const [first, second] = blockers.nodes;
        for (const [b, rank] of [
          [first, 1],
          [second, 1],
        ] as const) {
          await server.ok(
            `mutation ($input: SteeringDecisionInput!) { recordSteeringDecision(input: $input) { id } }`,
            {
              input: {
                blockerId: b.id,
                expectedVersion: b.version,
                level: 'HIGH',
                rank,
                rationale: `Rank ${rank} on the agenda`,
              },
            },
            steering,
          );
        }
        let all = await byTitle();
        const original = () => all.get(titleOf('B12'))!;
        const duplicate = () => all.get(titleOf('B16'))!;
        await server.ok(
          ENDORSE,
          { input: { blockerId: duplicate().id, note: 'We see this too' } },
          steward('UWV'),
        );
        await server.ok(ENDORSE, { input: { blockerId: original().id, note: null } }, steward('SVB'));
        await server.ok(
          COMMENT,
          { input: { blockerId: duplicate().id, body: 'Same as the fines' } },
          steward('UWV'),
        );
        await server.ok(COMMENT, { input: { blockerId: original().id, body: 'On the agenda' } }, steering);
        const confidential = all.get(CONFIDENTIAL.title)!;
        await server.ok(
          COMMENT,
          { input: { blockerId: confidential.id, body: 'Awaiting advice' } },
          steering,
        );
        all = await byTitle();
        await server.ok(
          TRANSITION,
          {
            input: {
              id: duplicate().id,
              expectedVersion: duplicate().version,
              to: 'DUPLICATE',
              duplicateOfId: original().id,
            },
          },
          steering,
        );
        all = await byTitle();
        await server.ok(
          TRANSITION,
          {
            input: {
              id: original().id,
              expectedVersion: original().version,
              to: 'RESOLVED',
              resolution: {
                kind: 'DATA_QUALITY_FIX',
                summary: 'Addresses refreshed from the BRP',
                reference: null,
              },
            },
          },
          steering,
        );
      } finally {
        await server.stop();
      }

      const exported = JSON.parse(
        (await cli(source, ['export', '--format', 'json', '--as', 'ADMIN'])).stdout,
      );
      const find = (doc: any, key: string): any => doc.blockers.find((b: any) => b.title === titleOf(key));
      // What the comparison below must carry.
      expect(exported.blockers.filter((b: { decision: unknown }) => b.decision !== null)).toHaveLength(2);
      expect(find(exported, 'B16')).toMatchObject({
        status: 'DUPLICATE',
        affectedNeeds: [],
        endorsements: [],
      });
      expect(find(exported, 'B16').duplicateOf).toBe(find(exported, 'B12').key);
      expect(find(exported, 'B12').status).toBe('RESOLVED');
      expect(find(exported, 'B12').resolution.summary).toBe('Addresses refreshed from the BRP');
      expect(find(exported, 'B12').endorsements.map((e: any) => [e.user.subject, e.note])).toEqual([
        ['steward-uwv', 'We see this too'],
        ['steward-svb', null],
      ]);
      expect(find(exported, 'B16').comments.map((c: any) => c.author.subject)).toEqual(['steward-uwv']);
      expect(find(exported, 'B19')).toMatchObject({ confidential: true });
      expect(find(exported, 'B19').comments).toHaveLength(1);
      expect(find(exported, 'B4').dependsOn).toEqual([find(exported, 'B3').key]);
      const file = join(tmp, 'registry.json');
      writeFileSync(file, JSON.stringify(exported));

      const target = await createDatabase('cli_round_trip');
      const imported = await cli(target, ['import', file]);
      expect(imported.stdout).toMatch(/blockers\s+19\s+0\s+0\s+0/);
      const again = JSON.parse((await cli(target, ['export', '--format', 'json', '--as', 'ADMIN'])).stdout);
      expect(canonical(again)).toEqual(canonical(exported));
      expect(again.blockers.length).toBe(reference.blockers.length);

      // The rows keep their authors; the audit trail names the import's actor.
      const authoredByImport = await scalar(
        target,
        `SELECT count(*) AS n FROM comment c JOIN app_user u ON u.id = c.author_id WHERE u.subject LIKE 'cli-%'`,
      );
      expect(authoredByImport).toBe(0);
      expect(
        await scalar(
          target,
          `SELECT count(*) AS n FROM audit_event e JOIN app_user u ON u.id = e.actor_id
           WHERE e.action IN ('comment.added', 'blocker.endorsed') AND u.subject = 'cli-admin'`,
        ),
      ).toBe(5);

      // A second run changes nothing.
      const twice = await cli(target, ['import', file]);
      expect(twice.stdout).toContain('Nothing to change');
      expect(twice.stdout).toMatch(/blockers\s+0\s+0\s+19\s+0/);

      // Only ADMIN records a comment in another user's name.
      const extra = structuredClone(exported);
      find(extra, 'B12').comments.push({ ...find(extra, 'B12').comments[0], body: 'Another' });
      const extraFile = join(tmp, 'registry-extra.json');
      writeFileSync(extraFile, JSON.stringify(extra));
      const refused = await runCli(target, ['import', extraFile, '--as', 'STEERING']);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('Only ADMIN records a comment');
      expect(await scalar(target, `SELECT count(*) AS n FROM comment WHERE body = 'Another'`)).toBe(0);
    },
    SLOW,
  );
});

/**
 * The document without what a registry assigns itself: the export time, and blocker keys (KNP numbers
 * come from the target's sequence), which are replaced by the blocker's title wherever they appear.
 */
function canonical(doc: any): unknown {
  const title = new Map<string, string>(doc.blockers.map((b: any) => [b.key, b.title]));
  return {
    ...doc,
    exportedAt: undefined,
    blockers: doc.blockers.map((b: any) => ({
      ...b,
      key: undefined,
      dependsOn: b.dependsOn.map((k: string) => title.get(k)),
      duplicateOf: b.duplicateOf ? title.get(b.duplicateOf) : null,
    })),
  };
}
