/**
 * Generates a synthetic registry shaped like the real one, at national scale, into a database:
 *   npm run seed:synthetic -- --providers 2000 --needs 200000 --blockers 50000 [--seed 42]
 *     [--database-url postgres://...]   (default: DATABASE_URL)
 *
 * Shape: a few suppliers hold most data (Zipf), municipalities are most of the requesters, blockers
 * mostly affect a handful of needs but some supplier-side blockers affect hundreds, dependency chains
 * between blockers (always to earlier ones, so acyclic), 10% confidential, endorsements, two years of
 * history. Deterministic for a given --seed. Priority scores and need states are computed with the
 * server's own pure functions, so the stored values equal what the server would compute. The target
 * database must hold no providers yet; the migrations are applied first.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_PRIORITY_WEIGHTS } from '@app/config/app-config';
import { buildGraph } from '@app/blockers/domain/graph';
import { computePriority } from '@app/blockers/domain/priority';
import { NeedLink, PriorityCounts, priorityCounts } from '@app/blockers/domain/priority-inputs';
import { BlockerType, Effort, layerOf, ResolutionKind, Severity } from '@app/blockers/domain/taxonomy';
import { BlockerStatus, isOpen } from '@app/blockers/domain/workflow';
import { createDataSource, runMigrations } from '@app/database/data-source';

// ---------------------------------------------------------------- deterministic randomness

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let rand = mulberry32(42);
const int = (min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const chance = (p: number): boolean => rand() < p;
const hex = (n: number): string =>
  Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const uuid = (): string => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

function weightedPicker<T>(items: readonly T[], weight: (i: number) => number): () => T {
  const cumulative: number[] = [];
  let total = 0;
  items.forEach((_, i) => cumulative.push((total += weight(i))));
  return () => {
    const r = rand() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return items[lo];
  };
}

// ---------------------------------------------------------------- progress

function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / Math.max(1, total)) * width);
  process.stderr.write(
    `\r${label.padEnd(12)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.round((done / Math.max(1, total)) * 100)).padStart(3)}% ${done}/${total}   `,
  );
  if (done >= total) process.stderr.write('\n');
}

// ---------------------------------------------------------------- model

interface Provider {
  id: string;
  name: string;
  abbreviation: string;
  kind: string;
  oin: string;
  tooiUri: string | null;
}
interface Need {
  id: string;
  requester: string;
  supplier: string;
  dataset: string | null;
  annualCases: number;
  createdAt: Date;
}
interface Blocker {
  id: string;
  number: number;
  type: BlockerType;
  severity: Severity;
  status: BlockerStatus;
  confidential: boolean;
  reportingProvider: string;
  owner: string | null;
  people: number | null;
  hours: number | null;
  effort: Effort | null;
  targetDate: string | null;
  createdAt: Date;
  statusChangedAt: Date;
  needs: string[];
  dependsOn: number[];
  endorsers: string[];
  duplicateOf: string | null;
  score: number;
  factors: unknown;
  inputs: PriorityCounts | null;
}

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 1);
const TYPES = Object.values(BlockerType);
const SEVERITIES: Array<[Severity, number]> = [
  [Severity.CRITICAL, 0.08],
  [Severity.HIGH, 0.27],
  [Severity.MEDIUM, 0.45],
  [Severity.LOW, 0.2],
];
const STATUSES: Array<[BlockerStatus, number]> = [
  [BlockerStatus.REPORTED, 0.1],
  [BlockerStatus.TRIAGED, 0.1],
  [BlockerStatus.PRIORITISED, 0.15],
  [BlockerStatus.IN_PROGRESS, 0.15],
  [BlockerStatus.ESCALATED, 0.05],
  [BlockerStatus.RESOLVED, 0.3],
  [BlockerStatus.REJECTED, 0.08],
  [BlockerStatus.DUPLICATE, 0.03],
  [BlockerStatus.WITHDRAWN, 0.04],
];
const EFFORTS = [Effort.XS, Effort.S, Effort.M, Effort.L, Effort.XL, null];
/**
 * Subjects of blockers, most frequent first, drawn with Zipf weights (1/rank): a registry's texts name
 * a few subjects often and most rarely, so a search for one subject ("belastingschuld", rank 12) finds
 * a few percent of the blockers, not most of them.
 */
const TOPICS = [
  'inkomen',
  'adres',
  'toeslag',
  'uitkering',
  'huishouden',
  'zorg',
  'indicatie',
  'vermogen',
  'loon',
  'inschrijving',
  'beslag',
  'belastingschuld',
  'schuldhulp',
  'polis',
  'kenteken',
  'studiefinanciering',
  'kinderopvang',
  'huurtoeslag',
  'bijstand',
  'verblijfsstatus',
  'nationaliteit',
  'huwelijk',
  'overlijden',
  'pensioen',
  'arbeidsongeschiktheid',
  'werkloosheid',
  'bedrijfsregistratie',
  'vestiging',
  'vergunning',
  'energietoeslag',
  'parkeervergunning',
  'gehandicaptenparkeerkaart',
  'leerplicht',
  'schoolinschrijving',
  'jeugdhulp',
  'wmo',
  'beschermingsbewind',
  'curatele',
  'detentie',
  'reisdocument',
  'rijbewijs',
  'woz',
  'erfpacht',
  'subsidie',
  'zorgverzekering',
  'premieschuld',
  'verhuizing',
  'naturalisatie',
  'asiel',
  'inburgering',
];
const pickTopic = weightedPicker(TOPICS, (i) => 1 / (i + 1));
/** Words of any blocker text, about the exchange rather than its subject. */
const FILLER = [
  'gegevens',
  'koppeling',
  'aansluiting',
  'definitie',
  'terugmelding',
  'grondslag',
  'doelbinding',
  'financiering',
  'levering',
  'bericht',
  'bron',
  'afnemer',
  'verstrekking',
  'register',
  'formaat',
  'controle',
  'wijziging',
  'termijn',
  'proces',
  'systeem',
  'actualiteit',
  'kwaliteit',
  'autorisatie',
  'protocol',
  'standaard',
  'interpretatie',
  'peildatum',
  'vertraging',
];
const filler = (n: number): string => Array.from({ length: n }, () => pick(FILLER)).join(' ');
const topics = (n: number): string => Array.from({ length: n }, () => pickTopic()).join(' ');
/** n words of which `subjects` name subjects, the subjects first. */
const words = (n: number, subjects = 1): string =>
  `${topics(Math.min(n, subjects))} ${filler(Math.max(0, n - subjects))}`.trim();
const weighted = <T>(table: Array<[T, number]>): T => {
  let r = rand();
  for (const [value, p] of table) if ((r -= p) < 0) return value;
  return table[table.length - 1][0];
};

function generate(counts: { providers: number; needs: number; blockers: number }) {
  // Providers: a few ministries and agencies (the big suppliers), mostly municipalities.
  const providers: Provider[] = [];
  for (let i = 0; i < counts.providers; i++) {
    const kind =
      i < 12
        ? 'MINISTRY'
        : i < 12 + Math.ceil(counts.providers * 0.05)
          ? 'EXECUTIVE_AGENCY'
          : i < 12 + Math.ceil(counts.providers * 0.06)
            ? 'CHAIN_ORGANISATION'
            : chance(0.03)
              ? 'WATER_BOARD'
              : chance(0.02)
                ? 'PROVINCE'
                : 'MUNICIPALITY';
    const main = String(100000000 + i).padStart(9, '0');
    providers.push({
      id: uuid(),
      name: `${kind === 'MUNICIPALITY' ? 'Gemeente' : kind === 'MINISTRY' ? 'Ministerie' : 'Organisatie'} ${i + 1}`,
      abbreviation: `P${i + 1}`,
      kind,
      oin: `00000099${main}000`,
      tooiUri:
        kind === 'MUNICIPALITY'
          ? `https://identifier.overheid.nl/tooi/id/gemeente/gm9${String(i).padStart(5, '0')}`
          : null,
    });
  }
  // Suppliers: the first tenth, Zipf-weighted, so a few hold most of the data.
  const supplierPool = providers.slice(0, Math.max(5, Math.ceil(counts.providers * 0.1)));
  const pickSupplier = weightedPicker(supplierPool, (i) => 1 / Math.pow(i + 1, 1.1));
  const datasets: Array<{ id: string; holder: string; name: string; code: string; base: boolean }> = [];
  const datasetsOf = new Map<string, string[]>();
  supplierPool.forEach((p, i) => {
    const n = i < 10 ? int(4, 8) : int(1, 3);
    for (let d = 0; d < n; d++) {
      const id = uuid();
      datasets.push({
        id,
        holder: p.id,
        name: `Register ${i + 1}.${d + 1}`,
        code: `R${i + 1}-${d + 1}`,
        base: i < 10 && d === 0,
      });
      (datasetsOf.get(p.id) ?? datasetsOf.set(p.id, []).get(p.id)!).push(id);
    }
  });
  // Needs.
  const needs: Need[] = [];
  const needsBySupplier = new Map<string, number[]>();
  for (let i = 0; i < counts.needs; i++) {
    const supplier = pickSupplier().id;
    let requester = pick(providers).id;
    if (requester === supplier)
      requester = providers[(providers.findIndex((p) => p.id === supplier) + 1) % providers.length].id;
    const own = datasetsOf.get(supplier) ?? [];
    needs.push({
      id: uuid(),
      requester,
      supplier,
      dataset: own.length && chance(0.85) ? pick(own) : null,
      annualCases: Math.min(10_000_000, Math.round(Math.exp(7.5 + 1.8 * gaussian()))),
      createdAt: new Date(NOW - int(30, 1000) * DAY),
    });
    (needsBySupplier.get(supplier) ?? needsBySupplier.set(supplier, []).get(supplier)!).push(i);
  }
  // Blockers.
  const blockers: Blocker[] = [];
  const reporters = (n: Need) => [n.requester, n.supplier];
  for (let i = 0; i < counts.blockers; i++) {
    const status = weighted(STATUSES);
    const hub = needs[int(0, needs.length - 1)];
    const wide = chance(0.02);
    const k = wide ? int(20, 300) : 1 + Math.min(12, Math.floor(Math.log(1 - rand()) / Math.log(0.55)));
    const pool = needsBySupplier.get(hub.supplier)!;
    const chosen = new Set<string>([hub.id]);
    for (let j = 1; j < k && chosen.size < pool.length; j++) chosen.add(needs[pick(pool)].id);
    const createdAt = new Date(NOW - int(1, 730) * DAY - int(0, DAY - 1));
    const statusChangedAt = new Date(createdAt.getTime() + rand() * (NOW - createdAt.getTime()));
    const dependsOn: number[] = [];
    if (i > 10 && chance(0.12)) {
      dependsOn.push(int(Math.max(0, i - 2000), i - 1));
      if (chance(0.3)) dependsOn.push(int(0, i - 1));
    }
    const reportingProvider = pick(reporters(hub));
    const endorsers = new Set<string>();
    if (chance(0.2)) for (let e = int(1, 5); e > 0; e--) endorsers.add(pick(providers).id);
    endorsers.delete(reportingProvider);
    blockers.push({
      id: uuid(),
      number: i + 1,
      type: pick(TYPES),
      severity: weighted(SEVERITIES),
      status,
      confidential: chance(0.1),
      reportingProvider,
      owner: chance(0.8) ? (chance(0.6) ? hub.supplier : providers[int(0, 11)].id) : null,
      people: chance(0.6) ? Math.round(Math.exp(9 + 1.5 * gaussian())) : null,
      hours: chance(0.7) ? Math.round(Math.exp(7 + 1.2 * gaussian())) : null,
      effort: pick(EFFORTS),
      targetDate: chance(0.3) ? new Date(NOW + int(-60, 700) * DAY).toISOString().slice(0, 10) : null,
      createdAt,
      statusChangedAt,
      needs: status === BlockerStatus.DUPLICATE ? [] : [...chosen],
      dependsOn: [...new Set(dependsOn)],
      endorsers: [...endorsers],
      duplicateOf: null,
      score: 0,
      factors: [],
      inputs: null,
    });
  }
  // Duplicates point at an earlier open blocker (their needs were merged into it).
  for (const b of blockers) {
    if (b.status !== BlockerStatus.DUPLICATE) continue;
    const original = blockers[int(0, b.number - 1)];
    b.duplicateOf = original && isOpen(original.status) && original.id !== b.id ? original.id : null;
    if (!b.duplicateOf) b.status = BlockerStatus.REJECTED;
  }
  return { providers, datasets, needs, blockers };
}

// ---------------------------------------------------------------- derived values

function derive(data: ReturnType<typeof generate>): Map<string, string> {
  const { needs, blockers } = data;
  const byId = new Map(blockers.map((b) => [b.id, b]));
  const open = (id: string) => isOpen(byId.get(id)!.status);
  const edges = blockers.flatMap((b) =>
    b.dependsOn.map((d) => ({ blockerId: b.id, dependsOnId: blockers[d].id })),
  );
  const graph = buildGraph(edges, open);
  const openByNeed = new Map<string, string[]>();
  for (const b of blockers) {
    if (!open(b.id)) continue;
    for (const n of b.needs) (openByNeed.get(n) ?? openByNeed.set(n, []).get(n)!).push(b.id);
  }
  const needById = new Map(needs.map((n) => [n.id, n]));
  const today = new Date(NOW);
  const linksOf = (id: string): NeedLink[] =>
    byId.get(id)!.needs.map((n) => {
      const need = needById.get(n)!;
      return {
        needId: n,
        annualCases: need.annualCases,
        requesterId: need.requester,
        supplierId: need.supplier,
      };
    });
  blockers.forEach((b, i) => {
    const counts = priorityCounts(graph, b.id, linksOf, (n) => openByNeed.get(n) ?? []);
    const result = computePriority(
      {
        severity: b.severity,
        peopleAffectedPerYear: b.people,
        ...counts,
        manualHoursPerYear: b.hours,
        endorsements: b.endorsers.length,
        targetDate: b.targetDate,
        effort: b.effort,
      },
      DEFAULT_PRIORITY_WEIGHTS,
      today,
    );
    b.score = result.score;
    b.factors = result.factors;
    b.inputs = counts;
    if (i % 5000 === 0) progress('scores', i, blockers.length);
  });
  progress('scores', blockers.length, blockers.length);
  const states = new Map<string, string>();
  for (const n of needs)
    states.set(n.id, openByNeed.has(n.id) ? 'BLOCKED' : chance(0.1) ? 'FLOWING' : 'REQUESTED');
  return states;
}

// ---------------------------------------------------------------- writing

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      providers: { type: 'string', default: '2000' },
      needs: { type: 'string', default: '200000' },
      blockers: { type: 'string', default: '50000' },
      seed: { type: 'string', default: '42' },
      'database-url': { type: 'string' },
    },
  });
  const counts = {
    providers: Number(values.providers),
    needs: Number(values.needs),
    blockers: Number(values.blockers),
  };
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (!url || Object.values(counts).some((n) => !Number.isInteger(n) || n < 1) || counts.providers < 20) {
    throw new Error(
      'usage: npm run seed:synthetic -- --providers N(>=20) --needs N --blockers N [--seed S] [--database-url URL]',
    );
  }
  rand = mulberry32(Number(values.seed));
  const started = Date.now();
  const ds = createDataSource({ url, poolSize: 2, applicationName: 'knooppunt-seed' });
  await ds.initialize();
  try {
    await runMigrations(ds);
    const [{ count }] = await ds.query<Array<{ count: string }>>('SELECT count(*) FROM provider');
    if (Number(count) > 0)
      throw new Error('the database already holds providers; seed into an empty database');

    const data = generate(counts);
    const states = derive(data);
    // One transaction: a failed run leaves nothing behind (closing the connection rolls it back).
    const qr = ds.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    const [{ id: userId }] = (await qr.query(
      `INSERT INTO app_user (subject, name, roles) VALUES ('knooppunt:synthetic', 'Synthetic data', ARRAY['ADMIN']::role[]) RETURNING id`,
    )) as Array<{ id: string }>;
    const insert = async (
      label: string,
      total: number,
      batch: number,
      write: (from: number, to: number) => Promise<unknown>,
    ) => {
      for (let from = 0; from < total; from += batch) {
        await write(from, Math.min(total, from + batch));
        progress(label, Math.min(total, from + batch), total);
      }
      if (total === 0) progress(label, 0, 0);
    };
    const col = <T, V>(rows: T[], f: (row: T) => V): V[] => rows.map(f);

    const { providers, datasets, needs, blockers } = data;
    await insert('providers', providers.length, 5000, (a, b) => {
      const rows = providers.slice(a, b);
      return qr.query(
        `INSERT INTO provider (id, name, abbreviation, kind, oin, tooi_uri)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::provider_kind[], $5::char(20)[], $6::text[])`,
        [
          col(rows, (r) => r.id),
          col(rows, (r) => r.name),
          col(rows, (r) => r.abbreviation),
          col(rows, (r) => r.kind),
          col(rows, (r) => r.oin),
          col(rows, (r) => r.tooiUri),
        ],
      );
    });
    await insert('datasets', datasets.length, 5000, (a, b) => {
      const rows = datasets.slice(a, b);
      return qr.query(
        `INSERT INTO dataset (id, holder_id, name, code, is_base_registry)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::boolean[])`,
        [
          col(rows, (r) => r.id),
          col(rows, (r) => r.holder),
          col(rows, (r) => r.name),
          col(rows, (r) => r.code),
          col(rows, (r) => r.base),
        ],
      );
    });
    await insert('needs', needs.length, 10000, (a, b) => {
      const rows = needs.slice(a, b);
      return qr.query(
        `INSERT INTO data_need (id, requester_id, supplier_id, dataset_id, data_elements, purpose, annual_cases, state, created_by_id, created_at, updated_at)
         SELECT id, req, sup, dset, ARRAY[el], purpose, cases, st, $9::uuid, created, created
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::int[], $8::data_need_state[], $10::timestamptz[])
           AS t(id, req, sup, dset, el, purpose, cases, st, created)`,
        [
          col(rows, (r) => r.id),
          col(rows, (r) => r.requester),
          col(rows, (r) => r.supplier),
          col(rows, (r) => r.dataset),
          col(rows, () => words(2)),
          col(rows, () => `Synthetic purpose: ${words(4)}`),
          col(rows, (r) => r.annualCases),
          col(rows, (r) => states.get(r.id)),
          userId,
          col(rows, (r) => r.createdAt.toISOString()),
        ],
      );
    });
    await insert('blockers', blockers.length, 5000, (a, b) => {
      const rows = blockers.slice(a, b);
      const closed = (r: Blocker) => !isOpen(r.status);
      return qr.query(
        `INSERT INTO blocker (id, number, title, description, type, layer, severity, status, confidential, reported_by_id,
           reporting_provider_id, owner_id, people_affected_per_year, manual_hours_per_year, effort, target_date,
           priority_score, priority_factors, resolution_kind, resolution_summary, resolved_at, duplicate_of_id,
           endorsement_count, created_at, updated_at, status_changed_at, closed_at, priority_inputs)
         SELECT id, num, title, descr, typ, lay, sev, st, conf, $24::uuid, rep, own, people, hours, eff, target, score, factors,
                rkind, rsum, CASE WHEN rkind IS NULL THEN NULL ELSE changed END, dup, endo, created, changed, changed,
                CASE WHEN isclosed THEN changed END, inputs
         FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::blocker_type[], $6::blocker_layer[], $7::severity[],
                     $8::blocker_status[], $9::boolean[], $10::uuid[], $11::uuid[], $12::int[], $13::int[], $14::effort[],
                     $15::date[], $16::float8[], $17::jsonb[], $18::resolution_kind[], $19::text[], $20::uuid[], $21::int[],
                     $22::timestamptz[], $23::timestamptz[], $25::boolean[], $26::jsonb[])
           AS t(id, num, title, descr, typ, lay, sev, st, conf, rep, own, people, hours, eff, target, score, factors,
                rkind, rsum, dup, endo, created, changed, isclosed, inputs)`,
        [
          col(rows, (r) => r.id),
          col(rows, (r) => r.number),
          col(rows, (r) => `Synthetic blocker ${r.number}: ${words(5, 2)}`),
          col(rows, () => `Synthetic description: ${words(30, 2)}`),
          col(rows, (r) => r.type),
          col(rows, (r) => layerOf(r.type)),
          col(rows, (r) => r.severity),
          col(rows, (r) => r.status),
          col(rows, (r) => r.confidential),
          col(rows, (r) => r.reportingProvider),
          col(rows, (r) => r.owner),
          col(rows, (r) => r.people),
          col(rows, (r) => r.hours),
          col(rows, (r) => r.effort),
          col(rows, (r) => r.targetDate),
          col(rows, (r) => r.score),
          col(rows, (r) => JSON.stringify(r.factors)),
          col(rows, (r) =>
            r.status === BlockerStatus.RESOLVED ? pick(Object.values(ResolutionKind)) : null,
          ),
          col(rows, (r) => (r.status === BlockerStatus.RESOLVED ? `Resolved: ${words(6)}` : null)),
          col(rows, (r) => r.duplicateOf),
          col(rows, (r) => r.endorsers.length),
          col(rows, (r) => r.createdAt.toISOString()),
          col(rows, (r) => r.statusChangedAt.toISOString()),
          userId,
          col(rows, closed),
          col(rows, (r) => JSON.stringify(r.inputs)),
        ],
      );
    });
    await qr.query(`SELECT setval('blocker_number_seq', $1)`, [blockers.length]);
    const links = blockers.flatMap((b) => b.needs.map((n) => [b.id, n]));
    await insert('links', links.length, 20000, (a, b) =>
      qr.query(
        `INSERT INTO blocker_need (blocker_id, need_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`,
        [links.slice(a, b).map((l) => l[0]), links.slice(a, b).map((l) => l[1])],
      ),
    );
    const deps = blockers.flatMap((b) => b.dependsOn.map((d) => [b.id, blockers[d].id]));
    await insert('dependencies', deps.length, 20000, (a, b) =>
      qr.query(
        `INSERT INTO blocker_dependency (blocker_id, depends_on_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`,
        [deps.slice(a, b).map((l) => l[0]), deps.slice(a, b).map((l) => l[1])],
      ),
    );
    const endorsements = blockers.flatMap((b) => b.endorsers.map((p) => [b.id, p]));
    await insert('endorsements', endorsements.length, 20000, (a, b) =>
      qr.query(
        `INSERT INTO endorsement (blocker_id, provider_id) SELECT * FROM unnest($1::uuid[], $2::uuid[])`,
        [endorsements.slice(a, b).map((l) => l[0]), endorsements.slice(a, b).map((l) => l[1])],
      ),
    );
    await insert('history', blockers.length, 10000, (a, b) => {
      const rows = blockers.slice(a, b);
      return qr.query(
        `INSERT INTO audit_event (at, actor_id, action, entity_type, entity_id, blocker_id, changes)
         SELECT created, $3::uuid, 'blocker.reported', 'Blocker', id, id, '[]'::jsonb FROM unnest($1::uuid[], $2::timestamptz[]) AS t(id, created)`,
        [col(rows, (r) => r.id), col(rows, (r) => r.createdAt.toISOString()), userId],
      );
    });
    await qr.commitTransaction();
    await qr.release();
    await ds.query('ANALYZE');
    process.stderr.write(
      `seeded ${providers.length} providers, ${datasets.length} datasets, ${needs.length} needs, ${blockers.length} blockers, ` +
        `${links.length} links, ${deps.length} dependencies, ${endorsements.length} endorsements in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
