/**
 * The stored priority score equals a fresh computation after every change that feeds it.
 *
 * `referenceScores` below is an independent implementation of the brief's "Priority score" table (it
 * shares no code with the server): it reads every blocker through the API (severity, impact, effort,
 * target date, status, affected needs with their annual cases, requesters and suppliers, endorsements,
 * dependencies) and computes each score. The tests compare it with the stored `priority.score` and
 * factors after scripted changes of every kind, then after random sequences of mutations (fast-check,
 * fixed seed), and with weights from PRIORITY_WEIGHTS.
 */
import fc from 'fast-check';
import { GraphQLResponse, TestServer } from './support/server';
import {
  BlockerRef,
  expectCode,
  expectOk,
  globalId,
  isOpenStatus,
  localId,
  World,
} from './support/graph-fixtures';

// ------------------------------------------------------------------ the reference computation

type Weights = Record<FactorName, number>;
type FactorName = 'severity' | 'people' | 'work' | 'reach' | 'unblocks' | 'dependents' | 'urgency';
const FACTORS: FactorName[] = ['severity', 'people', 'work', 'reach', 'unblocks', 'dependents', 'urgency'];

const DEFAULT_WEIGHTS: Weights = {
  severity: 0.2,
  people: 0.25,
  work: 0.1,
  reach: 0.15,
  unblocks: 0.15,
  dependents: 0.1,
  urgency: 0.05,
};
const SEVERITY: Record<string, number> = { CRITICAL: 1, HIGH: 0.7, MEDIUM: 0.4, LOW: 0.15 };
const DIVISOR: Record<string, number> = { XS: 1, S: 1.2, M: 1.5, L: 2, XL: 3 };
const UNKNOWN_EFFORT = 1.5;
const DAY = 86_400_000;

interface StoredFactor {
  name: string;
  value: number;
  weight: number;
  contribution: number;
}

/** A blocker as the API shows it to ADMIN: everything the score is computed from, and the score. */
interface BlockerData {
  id: string;
  key: string;
  status: string;
  severity: string;
  effort: string | null;
  targetDate: string | null;
  impact: { peopleAffectedPerYear: number | null; manualHoursPerYear: number | null };
  affectedNeeds: {
    totalCount: number;
    nodes: Array<{
      id: string;
      annualCases: number | null;
      requester: { id: string };
      supplier: { id: string };
    }>;
  };
  endorsements: Array<{ provider: { id: string } }>;
  dependsOn: Array<{ id: string }>;
  priority: { score: number; factors: StoredFactor[] };
  /**
   * Read from the database only: the counts stored with the score (priority_inputs), which a report
   * brings forward instead of counting again (ADR 12).
   */
  storedCounts?: Counts | null;
}

/** The counts a score is computed from besides the blocker's own fields. */
interface Counts {
  affectedNeedsAnnualCases: number;
  affectedProviders: number;
  needsUnblocked: number;
  openDependents: number;
}

const BLOCKER_DATA = `id key status severity effort targetDate
  impact { peopleAffectedPerYear manualHoursPerYear }
  affectedNeeds(first: 10) { totalCount nodes { id annualCases requester { id } supplier { id } } }
  endorsements { provider { id } }
  dependsOn { id }
  priority { score factors { name value weight contribution } }`;

interface Expected {
  score: number;
  values: Record<FactorName, number>;
  counts: Counts;
}

/** Days from today's UTC date to a `YYYY-MM-DD` date. */
function daysUntil(date: string, today: Date): number {
  const [y, m, d] = date.split('-').map(Number);
  return Math.round(
    (Date.UTC(y, m - 1, d) - Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())) / DAY,
  );
}

function referenceScores(
  blockers: BlockerData[],
  weights: Weights,
  today = new Date(),
): Map<string, Expected> {
  const open = new Set(blockers.filter((b) => isOpenStatus(b.status)).map((b) => b.id));
  const waitsOn = new Map<string, string[]>(); // b -> what b depends on
  const waitedOnBy = new Map<string, string[]>(); // b -> what depends on b
  for (const b of blockers) {
    waitsOn.set(
      b.id,
      b.dependsOn.map((d) => d.id),
    );
    for (const d of b.dependsOn) waitedOnBy.set(d.id, [...(waitedOnBy.get(d.id) ?? []), b.id]);
  }
  // open(n): the open blockers affecting each need.
  const openOfNeed = new Map<string, Set<string>>();
  for (const b of blockers) {
    for (const n of b.affectedNeeds.nodes) {
      if (!openOfNeed.has(n.id)) openOfNeed.set(n.id, new Set());
      if (open.has(b.id)) openOfNeed.get(n.id)!.add(b.id);
    }
  }
  /** Open blockers reachable from `start` along `edges`, walking through open blockers only. */
  const reach = (start: string, edges: Map<string, string[]>): Set<string> => {
    const seen = new Set<string>();
    const todo = [...(edges.get(start) ?? [])];
    while (todo.length) {
      const id = todo.shift()!;
      if (id === start || seen.has(id) || !open.has(id)) continue;
      seen.add(id);
      todo.push(...(edges.get(id) ?? []));
    }
    return seen;
  };

  const out = new Map<string, Expected>();
  for (const b of blockers) {
    if (b.affectedNeeds.totalCount > b.affectedNeeds.nodes.length)
      throw new Error(`${b.key}: too many needs`);
    const casesSum = b.affectedNeeds.nodes.reduce((s, n) => s + (n.annualCases ?? 0), 0);
    const people = b.impact.peopleAffectedPerYear ?? casesSum;
    const hours = b.impact.manualHoursPerYear ?? 0;
    const providers = new Set(b.affectedNeeds.nodes.flatMap((n) => [n.requester.id, n.supplier.id]));
    const resolved = new Set([b.id, ...reach(b.id, waitsOn)]);
    let unblocked = 0;
    for (const blockersOfNeed of openOfNeed.values()) {
      if (blockersOfNeed.size > 0 && [...blockersOfNeed].every((x) => resolved.has(x))) unblocked++;
    }
    let urgency = 0;
    if (b.targetDate) {
      const days = daysUntil(b.targetDate, today);
      urgency = days <= 90 ? 1 : days <= 365 ? 0.5 : 0;
    }
    const values: Record<FactorName, number> = {
      severity: SEVERITY[b.severity],
      people: Math.min(1, Math.log10(1 + Math.max(0, people)) / 6),
      work: Math.min(1, Math.log10(1 + Math.max(0, hours)) / 5),
      reach: Math.min(1, (providers.size + b.endorsements.length) / 10),
      unblocks: Math.min(1, unblocked / 10),
      dependents: Math.min(1, reach(b.id, waitedOnBy).size / 5),
      urgency,
    };
    const costOfDelay = FACTORS.reduce((s, f) => s + weights[f] * values[f], 0);
    const divisor = b.effort ? DIVISOR[b.effort] : UNKNOWN_EFFORT;
    const counts: Counts = {
      affectedNeedsAnnualCases: casesSum,
      affectedProviders: providers.size,
      needsUnblocked: unblocked,
      openDependents: reach(b.id, waitedOnBy).size,
    };
    out.set(b.id, { score: Math.min(100, Math.max(0, (100 * costOfDelay) / divisor)), values, counts });
  }
  return out;
}

/** Differences between the stored scores and the reference, one line each (empty when none). */
function differences(blockers: BlockerData[], weights: Weights): string[] {
  const expected = referenceScores(blockers, weights);
  const problems: string[] = [];
  const near = (a: number, b: number) => Math.abs(a - b) < 0.005 + 1e-9;
  for (const b of blockers) {
    const want = expected.get(b.id)!;
    const stored = b.priority;
    const storedValues = Object.fromEntries(stored.factors.map((f) => [f.name, f]));
    const bad: string[] = [];
    if (!near(stored.score, want.score)) bad.push(`score ${stored.score} != ${want.score.toFixed(4)}`);
    for (const name of FACTORS) {
      const f = storedValues[name];
      if (!f) {
        bad.push(`factor ${name} missing`);
        continue;
      }
      if (!near(f.value, want.values[name]))
        bad.push(`${name} ${f.value} != ${want.values[name].toFixed(4)}`);
      if (Math.abs(f.weight - weights[name]) > 1e-9)
        bad.push(`${name} weight ${f.weight} != ${weights[name]}`);
      if (!near(f.contribution, weights[name] * want.values[name]))
        bad.push(
          `${name} contribution ${f.contribution} != ${(weights[name] * want.values[name]).toFixed(4)}`,
        );
    }
    if (stored.factors.length !== FACTORS.length) bad.push(`${stored.factors.length} factors`);
    if (b.storedCounts !== undefined && canonical(b.storedCounts) !== canonical(want.counts))
      bad.push(`stored counts ${canonical(b.storedCounts)} != ${canonical(want.counts)}`);
    if (bad.length) problems.push(`${b.key} (${b.status}): ${bad.join('; ')}`);
  }
  return problems;
}

/** Every blocker as `BlockerData`, read straight from the database with the pool (four queries). */
async function loadFromDb(server: TestServer): Promise<BlockerData[]> {
  const [blockers, links, endorsements, edges] = await Promise.all([
    server.db.query(
      `SELECT id, number, status, severity, effort, to_char(target_date, 'YYYY-MM-DD') AS target_date,
              people_affected_per_year, manual_hours_per_year, priority_score, priority_factors,
              priority_inputs
       FROM blocker ORDER BY number`,
    ),
    server.db.query(
      `SELECT bn.blocker_id, n.id, n.annual_cases, n.requester_id, n.supplier_id
       FROM blocker_need bn JOIN data_need n ON n.id = bn.need_id`,
    ),
    server.db.query('SELECT blocker_id, provider_id FROM endorsement'),
    server.db.query('SELECT blocker_id, depends_on_id FROM blocker_dependency'),
  ]);
  const group = <T>(rows: Array<Record<string, any>>, map: (r: Record<string, any>) => T) => {
    const out = new Map<string, T[]>();
    for (const r of rows) out.set(r.blocker_id, [...(out.get(r.blocker_id) ?? []), map(r)]);
    return out;
  };
  const needsOf = group(links.rows, (r) => ({
    id: globalId('DataNeed', r.id),
    annualCases: r.annual_cases,
    requester: { id: globalId('Provider', r.requester_id) },
    supplier: { id: globalId('Provider', r.supplier_id) },
  }));
  const endorsementsOf = group(endorsements.rows, (r) => ({
    provider: { id: globalId('Provider', r.provider_id) },
  }));
  const dependsOnOf = group(edges.rows, (r) => ({ id: globalId('Blocker', r.depends_on_id) }));
  return blockers.rows.map((b) => {
    const nodes = needsOf.get(b.id) ?? [];
    return {
      id: globalId('Blocker', b.id),
      key: `KNP-${b.number}`,
      status: b.status,
      severity: b.severity,
      effort: b.effort,
      targetDate: b.target_date,
      impact: {
        peopleAffectedPerYear: b.people_affected_per_year,
        manualHoursPerYear: b.manual_hours_per_year,
      },
      affectedNeeds: { totalCount: nodes.length, nodes },
      endorsements: endorsementsOf.get(b.id) ?? [],
      dependsOn: dependsOnOf.get(b.id) ?? [],
      priority: { score: b.priority_score, factors: b.priority_factors },
      storedCounts: b.priority_inputs,
    };
  });
}

/** JSON with object keys sorted, so that equal data gives equal text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)))
      : v,
  );
}

/** A blocker's data in a canonical order, to compare what the API shows with what the database holds. */
function normalise(b: BlockerData): unknown {
  const byId = <T extends { id: string }>(list: T[]) => [...list].sort((x, y) => x.id.localeCompare(y.id));
  const { storedCounts: _stored, ...shown } = b;
  return {
    ...shown,
    affectedNeeds: { totalCount: b.affectedNeeds.totalCount, nodes: byId(b.affectedNeeds.nodes) },
    endorsements: b.endorsements.map((e) => e.provider.id).sort(),
    dependsOn: byId(b.dependsOn),
  };
}

// ------------------------------------------------------------------ the tests

describe('priority score', () => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    w = await World.load(server);
  });
  afterAll(async () => server?.stop());

  const UPDATE = `mutation Update($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id version } }`;
  const LINK = `mutation Link($input: BlockerNeedInput!) { linkAffectedNeed(input: $input) { id } }`;
  const UNLINK = `mutation Unlink($input: BlockerNeedInput!) { unlinkAffectedNeed(input: $input) { id } }`;
  const ENDORSE = `mutation Endorse($input: EndorseBlockerInput!) { endorseBlocker(input: $input) { id } }`;
  const WITHDRAW = `mutation Withdraw($id: ID!) { withdrawEndorsement(blockerId: $id) { id } }`;
  const ADD_DEP = `mutation Add($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id } }`;
  const REMOVE_DEP = `mutation Rm($input: BlockerDependencyInput!) { removeBlockerDependency(input: $input) { id } }`;
  const CASES = `mutation Cases($input: UpdateDataNeedInput!) { updateDataNeed(input: $input) { id annualCases } }`;

  async function update(id: string, fields: Record<string, unknown>): Promise<GraphQLResponse> {
    return server.gql(UPDATE, { input: { id, expectedVersion: await w.version(id), ...fields } }, w.admin);
  }
  const link = (b: string, n: string) => server.gql(LINK, { input: { blockerId: b, needId: n } }, w.admin);
  const unlink = (b: string, n: string) =>
    server.gql(UNLINK, { input: { blockerId: b, needId: n } }, w.admin);
  const endorse = (b: string, provider: string) =>
    server.gql(ENDORSE, { input: { blockerId: b, note: 'ook wij' } }, w.steward(provider));
  const withdraw = (b: string, provider: string) => server.gql(WITHDRAW, { id: b }, w.steward(provider));
  const addDep = (b: string, on: string) =>
    server.gql(ADD_DEP, { input: { blockerId: b, dependsOnId: on } }, w.admin);
  const removeDep = (b: string, on: string) =>
    server.gql(REMOVE_DEP, { input: { blockerId: b, dependsOnId: on } }, w.admin);
  const setCases = (n: string, annualCases: number | null) =>
    server.gql(CASES, { input: { id: n, annualCases } }, w.admin);

  /** A date `days` after today (UTC), as the API takes it. */
  const inDays = (days: number): string => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

  /**
   * Every blocker compared with the reference, from the database (everything the score is computed
   * from, and the stored score) and, with `api`, also through the API, which must show the same; the
   * derived need states are checked too. Throws on any difference; returns the blockers.
   */
  async function expectAllCurrent(
    options: { api?: boolean; context?: string; server?: TestServer; world?: World; weights?: Weights } = {},
  ): Promise<BlockerData[]> {
    const { api = true, context = '', weights = DEFAULT_WEIGHTS } = options;
    const srv = options.server ?? server;
    const stored = await loadFromDb(srv);
    const problems = differences(stored, weights);
    if (api) {
      const shown = await (options.world ?? w).allBlockers<BlockerData>(BLOCKER_DATA, 100);
      problems.push(...differences(shown, weights).map((p) => `(API) ${p}`));
      const byKey = new Map(stored.map((b) => [b.key, normalise(b)]));
      for (const b of shown) {
        const [a, d] = [canonical(normalise(b)), canonical(byKey.get(b.key))];
        if (a !== d) problems.push(`${b.key}: the API shows ${a}, the database holds ${d}`);
      }
      if (shown.length !== stored.length)
        problems.push(`API ${shown.length} blockers, database ${stored.length}`);
    }
    const { rows } = await srv.db.query<{ wrong: string }>(
      `SELECT count(*) AS wrong FROM data_need n WHERE (n.state = 'BLOCKED') <> EXISTS (
         SELECT 1 FROM blocker_need bn JOIN blocker b ON b.id = bn.blocker_id
         WHERE bn.need_id = n.id AND b.status IN ('REPORTED','TRIAGED','PRIORITISED','IN_PROGRESS','ESCALATED'))`,
    );
    if (Number(rows[0].wrong) !== 0) problems.push(`${rows[0].wrong} needs with a wrong BLOCKED state`);
    if (problems.length)
      throw new Error(`stored scores differ from the reference ${context}:\n${problems.join('\n')}`);
    return stored;
  }

  it('computes the demo data’s scores as the reference does, KNP-1 as in the worked example', async () => {
    const blockers = await expectAllCurrent();
    expect(blockers.length).toBeGreaterThanOrEqual(19);
    const knp1 = blockers.find((b) => b.key === 'KNP-1')!;
    expect(knp1.priority.score).toBeCloseTo(27.0, 1);
    const values = Object.fromEntries(knp1.priority.factors.map((f) => [f.name, f.value]));
    expect(values).toEqual({
      severity: 1,
      people: expect.closeTo(0.7755, 3),
      work: expect.closeTo(0.8602, 3),
      reach: expect.closeTo(0.3, 6),
      unblocks: expect.closeTo(0.1, 6),
      dependents: 0,
      urgency: 0,
    });
  });

  it('keeps every stored score current through each kind of change', async () => {
    const check = (step: string) => expectAllCurrent({ context: `after ${step}` });
    const n1 = await w.declareNeed('AMSTERDAM', 'BD', 40_000);
    const n2 = await w.declareNeed('AMSTERDAM', 'TOESLAGEN', 5_000);
    const n3 = await w.declareNeed('UTRECHT', 'DUO', null);
    const a = await w.report({ needIds: [n1], severity: 'HIGH', effort: 'M' });
    await check('report A');
    const b = await w.report({ needIds: [n1, n2], severity: 'LOW', impact: { manualHoursPerYear: 300 } });
    await check('report B on a shared need');
    const c = await w.report({ needIds: [n3], severity: 'CRITICAL', effort: 'XS', targetDate: inDays(10) });
    await check('report C');

    // The blocker's own fields.
    expectOk(await update(a.id, { severity: 'CRITICAL' }));
    await check('severity');
    for (const effort of ['XS', 'S', 'L', 'XL', null]) {
      expectOk(await update(a.id, { effort }));
      await check(`effort ${effort}`);
    }
    for (const days of [-3, 0, 90, 91, 365, 366, 2000]) {
      expectOk(await update(a.id, { targetDate: inDays(days) }));
      const [stored] = (await w.get(a.id, 'priority { factors { name value } }')).priority.factors.filter(
        (f: StoredFactor) => f.name === 'urgency',
      );
      expect(stored.value).toBe(days <= 90 ? 1 : days <= 365 ? 0.5 : 0);
      await check(`target date in ${days} days`);
    }
    expectOk(await update(a.id, { targetDate: null }));
    await check('target date cleared');
    expectOk(await update(a.id, { impact: { peopleAffectedPerYear: 900_000, manualHoursPerYear: 25_000 } }));
    await check('impact');
    expectOk(await update(a.id, { impact: { peopleAffectedPerYear: null } }));
    await check('people cleared: annual cases count');

    // The needs' annual cases.
    expect(expectOk<any>(await setCases(n1, 90_000)).updateDataNeed.annualCases).toBe(90_000);
    await check('annual cases of a shared need');
    expectOk(await setCases(n3, 7));
    await check('annual cases from null');
    expectOk(await setCases(n1, null));
    await check('annual cases cleared');

    // Affected needs.
    expectOk(await link(a.id, n2));
    await check('link');
    expectOk(await link(c.id, n1));
    await check('link a third blocker to the shared need');
    expectOk(await unlink(c.id, n1));
    await check('unlink');
    expectCode(await unlink(c.id, n3), 'BAD_USER_INPUT');
    await check('refused unlink of the last need');

    // Endorsements.
    expectOk(await endorse(a.id, 'RDW'));
    expectOk(await endorse(a.id, 'CJIB'));
    await check('endorse');
    expectOk(await withdraw(a.id, 'RDW'));
    await check('withdraw');

    // Dependencies: C waits on A, A waits on B.
    expectOk(await addDep(c.id, a.id));
    await check('dependency');
    expectOk(await addDep(a.id, b.id));
    await check('chained dependency');
    expectCode(await addDep(b.id, c.id), 'DEPENDENCY_CYCLE');
    await check('refused cycle');

    // Closing and reopening others: B closes, so A alone blocks n1 and n2, and C's chain shortens.
    expectOk(await w.move(b.id, 'REJECTED'));
    await check('close a prerequisite sharing needs');
    expectOk(await w.move(b.id, 'TRIAGED'));
    await check('reopen');
    expectOk(await w.move(b.id, 'PRIORITISED'));
    expectOk(await w.move(b.id, 'IN_PROGRESS'));
    expectOk(await w.move(b.id, 'RESOLVED'));
    await check('resolve');
    expectOk(await w.move(b.id, 'TRIAGED'));
    await check('reopen a resolved blocker');
    expectOk(await removeDep(a.id, b.id));
    await check('remove dependency');

    // A merge: B is a duplicate of C; its needs and endorsements move to C.
    expectOk(await endorse(b.id, 'KADASTER'));
    expectOk(await w.move(b.id, 'DUPLICATE', { duplicateOfId: c.id }));
    await check('merge');
    expectOk(await w.move(b.id, 'TRIAGED'));
    await check('reopen a duplicate');
    expectOk(await w.move(a.id, 'WITHDRAWN'));
    await check('withdraw a prerequisite');
  });

  it('keeps scores and stored counts current when reports land on needs whose blockers wait on others', async () => {
    // A report brings its neighbours' stored counts forward (ADR 12): here the reported needs are held
    // up by blockers in dependency chains, a closed one among them, and by one at its "unblocks" cap.
    const check = (step: string) => expectAllCurrent({ api: false, context: `after ${step}` });
    const n: string[] = [];
    for (let k = 0; k < 14; k++) n.push(await w.declareNeed('AMSTERDAM', 'BD', 1_000 * (k + 1)));
    const a = await w.report({ needIds: [n[0]] });
    const b = await w.report({ needIds: [n[1]] });
    const d = await w.report({ needIds: [n[0], n[2]] });
    const c = await w.report({ needIds: [n[3]] });
    const hub = await w.report({ needIds: n.slice(4, 14) });
    expectOk(await addDep(b.id, a.id));
    expectOk(await addDep(d.id, b.id));
    expectOk(await addDep(c.id, b.id));
    expectOk(await addDep(hub.id, d.id));
    expectOk(await w.move(c.id, 'WITHDRAWN'));
    await check('the chains');
    await w.report({ needIds: [n[1]] });
    await check('a report on a need a prerequisite alone holds up');
    await w.report({ needIds: [n[2], n[3]] });
    await check('a report on needs of a dependent and of a closed blocker');
    await w.report({ needIds: [n[12]] });
    await check('a report on a need of a blocker at its "unblocks" cap');
    await w.report({ needIds: [n[0], n[13]] });
    await check('a report on a need two blockers of one chain hold up');
  });

  it('counts a neighbourhood in full when a neighbour has no stored counts (stored before they were)', async () => {
    const n1 = await w.declareNeed('UTRECHT', 'DUO', 2_000);
    const n2 = await w.declareNeed('UTRECHT', 'DUO', 3_000);
    const a = await w.report({ needIds: [n1, n2] });
    const b = await w.report({ needIds: [n2] });
    expectOk(await addDep(b.id, a.id));
    await server.db.query('UPDATE blocker SET priority_inputs = NULL WHERE id = ANY($1::uuid[])', [
      [localId(a.id), localId(b.id)],
    ]);
    await w.report({ needIds: [n1] });
    await expectAllCurrent({ api: false, context: 'after a report beside blockers without stored counts' });
  });

  it('keeps need states and scores current when blockers on one need close at the same time', async () => {
    for (let round = 0; round < 8; round++) {
      // n is blocked by X, Z and W; n2 only by Z and W. Closing Z and W together frees n2 and leaves
      // X alone on n (so resolving X would unblock n).
      const n = await w.declareNeed('SVB', 'UWV', 10_000);
      const n2 = await w.declareNeed('AMSTERDAM', 'BD', 20_000);
      const x = await w.report({ needIds: [n] });
      const z = await w.report({ needIds: [n, n2] });
      const v = await w.report({ needIds: [n, n2] });
      const [rz, rv] = await Promise.all([w.move(z.id, 'REJECTED'), w.move(v.id, 'WITHDRAWN')]);
      expectOk(rz);
      expectOk(rv);
      const state = await server.ok<any>(
        'query($id: ID!) { node(id: $id) { ... on DataNeed { state } } }',
        { id: n2 },
        w.admin,
      );
      expect(state.node.state).toBe('REQUESTED');
      const unblocks = (await w.get(x.id, 'priority { factors { name value } }')).priority.factors.find(
        (f: StoredFactor) => f.name === 'unblocks',
      );
      expect(unblocks.value).toBeCloseTo(0.1, 6);
      await expectAllCurrent({ context: `after parallel closes, round ${round}` });
    }
  });

  it('keeps scores current when changes around one blocker are made at the same time', async () => {
    for (let round = 0; round < 8; round++) {
      // X affects n and m; Z also blocks n, V also blocks m. Each close alone frees one need for X.
      const n = await w.declareNeed('CJIB', 'RDW', 1_000);
      const m = await w.declareNeed('CAK', 'CJIB', 2_000);
      const x = await w.report({ needIds: [n, m] });
      const z = await w.report({ needIds: [n] });
      const v = await w.report({ needIds: [m] });
      const [p] = await w.blockers(1);
      const results = await Promise.all([
        w.move(z.id, 'REJECTED'),
        w.move(v.id, 'REJECTED'),
        addDep(p.id, x.id),
        endorse(x.id, 'KADASTER'),
        setCases(n, 5_000 + round),
      ]);
      for (const r of results) expectOk(r);
      const factors = (await w.get(x.id, 'priority { factors { name value } }')).priority.factors;
      const value = (name: string) => factors.find((f: StoredFactor) => f.name === name).value;
      expect(value('unblocks')).toBeCloseTo(0.2, 6);
      expect(value('dependents')).toBeCloseTo(0.2, 6);
      await expectAllCurrent({ context: `after parallel changes, round ${round}` });
    }
  });

  it('keeps scores current when reports on needs sharing blockers run at the same time', async () => {
    // Reports run side by side (ADR 12). X alone blocks n1..n6, so each report on one of them changes
    // X's "unblocks" (and Y's: Y waits on X). One report per need, all at once: X's last writer must
    // have seen every other report, or X would still count a need as freed. In some rounds an
    // endorsement of X and a need's new annual cases (changes that exclude reports) come in between.
    const PAIRS: Array<[string, string]> = [
      ['SVB', 'UWV'],
      ['AMSTERDAM', 'BD'],
      ['CJIB', 'RDW'],
      ['CAK', 'CJIB'],
      ['UTRECHT', 'DUO'],
      ['UWV', 'KADASTER'],
    ];
    for (let round = 0; round < 10; round++) {
      const needs: string[] = [];
      for (const [requester, supplier] of PAIRS) needs.push(await w.declareNeed(requester, supplier, 1_000));
      const x = await w.report({ needIds: needs });
      const y = await w.report({ needIds: [await w.declareNeed('DUO', 'BD', 5_000)] });
      expectOk(await addDep(y.id, x.id));
      const unblocks = async (id: string): Promise<number> =>
        (await w.get(id, 'priority { factors { name value } }')).priority.factors.find(
          (f: StoredFactor) => f.name === 'unblocks',
        ).value;
      expect(await unblocks(x.id)).toBeCloseTo(0.6, 6);
      const reports = needs.map((n) => w.report({ needIds: [n] }));
      const others = round % 2 === 0 ? [] : [endorse(x.id, 'KADASTER'), setCases(needs[0], 10_000 + round)];
      const results = await Promise.all([...reports, ...others]);
      for (const r of results.slice(reports.length) as GraphQLResponse[]) expectOk(r);
      expect(await unblocks(x.id)).toBe(0);
      expect(await unblocks(y.id)).toBeCloseTo(0.1, 6);
      await expectAllCurrent({ api: round === 0, context: `after parallel reports, round ${round}` });
    }
  });

  it('keeps every stored score current under random sequences of mutations', async () => {
    const PROVIDERS = ['UWV', 'SVB', 'BD', 'DUO', 'CJIB', 'RDW', 'AMSTERDAM', 'UTRECHT', 'KADASTER', 'CAK'];
    const PAIRS: Array<[string, string]> = [
      ['SVB', 'UWV'],
      ['AMSTERDAM', 'BD'],
      ['UTRECHT', 'DUO'],
      ['CJIB', 'RDW'],
      ['CAK', 'CJIB'],
    ];
    const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
    const EFFORTS = [null, 'XS', 'S', 'M', 'L', 'XL'];
    const DAYS = [-5, 0, 45, 90, 91, 200, 365, 366, 1000];
    const PEOPLE = [0, 12, 4_000, 90_000, 3_000_000];
    const CASES_VALUES = [null, 0, 500, 12_000, 250_000, 3_000_000];

    const i = fc.nat(99);
    const opArb = fc.oneof(
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('report' as const),
          needs: fc.uniqueArray(fc.nat(5), { minLength: 1, maxLength: 3 }),
          severity: fc.constantFrom(...SEVERITIES),
          effort: fc.constantFrom(...EFFORTS),
          people: fc.option(fc.constantFrom(...PEOPLE)),
          days: fc.option(fc.constantFrom(...DAYS)),
        }),
      },
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('update' as const),
          b: i,
          field: fc.constantFrom('severity', 'effort', 'impact', 'targetDate'),
          v: i,
        }),
      },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('link' as const), b: i, n: i }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('unlink' as const), b: i, n: i }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('endorse' as const), b: i, p: i }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), b: i, p: i }) },
      { weight: 4, arbitrary: fc.record({ kind: fc.constant('addDep' as const), b: i, c: i }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('removeDep' as const), b: i, c: i }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), b: i, v: i }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('close' as const), b: i, v: i }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('reopen' as const), b: i }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), b: i, c: i }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('cases' as const), n: i, v: i }) },
    );
    type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

    let run = 0;
    /** Reports on a need held up by a blocker in a dependency chain (a report brings their counts forward). */
    let reportsOnChains = 0;
    const property = fc.asyncProperty(fc.array(opArb, { minLength: 8, maxLength: 15 }), async (ops: Op[]) => {
      run++;
      const log: string[] = [];
      /** After each mutation from the database; through the API too at the start and end of a run. */
      const check = async (api = false): Promise<Map<string, BlockerData>> => {
        const all = await expectAllCurrent({ api, context: `in run ${run}:\n  ${log.join('\n  ')}\n` });
        return new Map(all.map((b) => [b.id, b]));
      };
      // This run's world: fresh needs (and two demo needs that demo blockers share), fresh blockers.
      const needs: string[] = [];
      for (const [requester, supplier] of PAIRS.slice(0, 4))
        needs.push(await w.declareNeed(requester, supplier, 1000 * (run + needs.length)));
      needs.push(w.need('N7'), w.need('N3'));
      const mine: BlockerRef[] = [];
      const report = async (needIdx: number[], fields: Record<string, unknown> = {}) => {
        const b = await w.report({
          needIds: needIdx.map((k) => needs[k % needs.length]),
          owner: 'FIN',
          ...fields,
        });
        mine.push(b);
        return b;
      };
      await report([0]);
      await report([1, 4]);
      await report([2, 0]);
      let now = await check(true);

      const view = (b: BlockerRef): BlockerData => now.get(b.id)!;
      const status = (b: BlockerRef): string => view(b).status;
      /** The first of this run's blockers from position k on that passes the test. */
      const pick = (k: number, test: (b: BlockerRef) => boolean = () => true): BlockerRef | undefined => {
        for (let j = 0; j < mine.length; j++) {
          const b = mine[(k + j) % mine.length];
          if (test(b)) return b;
        }
        return undefined;
      };
      /** Accept success or one of the expected refusals. */
      const allow = (res: GraphQLResponse, ...codes: string[]) => {
        const code = res.errors?.[0]?.extensions?.code;
        if (res.errors && !codes.includes(code)) throw new Error(`unexpected: ${JSON.stringify(res.errors)}`);
        log[log.length - 1] += res.errors ? ` -> ${code}` : ' -> ok';
      };
      const note = (b: BlockerRef | undefined, op: Op) =>
        log.push(`${op.kind} ${b ? `${b.key} (${status(b)})` : '-'} ${JSON.stringify(op)}`);

      for (const op of ops) {
        switch (op.kind) {
          case 'report': {
            note(undefined, op);
            const fields: Record<string, unknown> = { severity: op.severity, effort: op.effort };
            if (op.people !== null) fields.impact = { peopleAffectedPerYear: op.people };
            if (op.days !== null) fields.targetDate = inDays(op.days);
            const chosen = new Set(op.needs.map((k) => needs[k % needs.length]));
            const waitedOn = new Set([...now.values()].flatMap((x) => x.dependsOn.map((d) => d.id)));
            if (
              [...now.values()].some(
                (x) =>
                  (x.dependsOn.length > 0 || waitedOn.has(x.id)) &&
                  x.affectedNeeds.nodes.some((n) => chosen.has(n.id)),
              )
            )
              reportsOnChains++;
            const created = await report(op.needs, fields);
            log[log.length - 1] += ` -> ${created.key}`;
            break;
          }
          case 'update': {
            const b = pick(op.b)!;
            note(b, op);
            const v = op.v;
            const value =
              op.field === 'severity'
                ? { severity: SEVERITIES[v % SEVERITIES.length] }
                : op.field === 'effort'
                  ? { effort: EFFORTS[v % EFFORTS.length] }
                  : op.field === 'impact'
                    ? {
                        impact: {
                          peopleAffectedPerYear: v % 3 === 0 ? null : PEOPLE[v % PEOPLE.length],
                          manualHoursPerYear: v * 37,
                        },
                      }
                    : { targetDate: v % 5 === 0 ? null : inDays(DAYS[v % DAYS.length]) };
            allow(await update(b.id, value));
            break;
          }
          case 'link': {
            const b = pick(op.b)!;
            note(b, op);
            const own = new Set(view(b).affectedNeeds.nodes.map((n) => n.id));
            // A need it does not affect yet; when it affects them all, the refusal is tested.
            const need = [...needs.keys()]
              .map((k) => needs[(op.n + k) % needs.length])
              .find((n) => !own.has(n));
            allow(await link(b.id, need ?? needs[op.n % needs.length]), 'BAD_USER_INPUT');
            break;
          }
          case 'unlink': {
            // Preferably a blocker with two needs or more; else the refusal of the last one is tested.
            const b =
              pick(op.b, (x) => view(x).affectedNeeds.nodes.length > 1) ??
              pick(op.b, (x) => view(x).affectedNeeds.nodes.length > 0);
            if (!b) continue;
            note(b, op);
            const own = view(b).affectedNeeds.nodes;
            allow(await unlink(b.id, own[op.n % own.length].id), 'BAD_USER_INPUT');
            break;
          }
          case 'endorse': {
            const b = pick(op.b)!;
            note(b, op);
            allow(await endorse(b.id, PROVIDERS[op.p % PROVIDERS.length]), 'FORBIDDEN', 'CONFLICT');
            break;
          }
          case 'withdraw': {
            const b = pick(op.b, (x) => view(x).endorsements.length > 0) ?? pick(op.b)!;
            note(b, op);
            const endorsers = view(b).endorsements.map((e) => e.provider.id);
            const key =
              PROVIDERS.find((p) => endorsers.includes(w.provider(p).id)) ??
              PROVIDERS[op.p % PROVIDERS.length];
            allow(await withdraw(b.id, key), 'BAD_USER_INPUT');
            break;
          }
          case 'addDep': {
            const b = pick(op.b)!;
            const other = pick(op.c, (x) => x.id !== b.id)!;
            note(b, op);
            log[log.length - 1] += ` on ${other.key}`;
            allow(await addDep(b.id, other.id), 'DEPENDENCY_CYCLE', 'BAD_USER_INPUT');
            break;
          }
          case 'removeDep': {
            const b = pick(op.b, (x) => view(x).dependsOn.length > 0);
            if (!b) continue;
            note(b, op);
            const on = view(b).dependsOn;
            allow(await removeDep(b.id, on[op.c % on.length].id));
            break;
          }
          case 'advance': {
            const next: Record<string, string[]> = {
              REPORTED: ['TRIAGED'],
              TRIAGED: ['PRIORITISED'],
              PRIORITISED: ['IN_PROGRESS', 'ESCALATED'],
              IN_PROGRESS: ['ESCALATED', 'PRIORITISED'],
              ESCALATED: ['IN_PROGRESS', 'PRIORITISED'],
            };
            const b = pick(op.b, (x) => isOpenStatus(status(x)));
            if (!b) continue;
            note(b, op);
            const options = next[status(b)];
            allow(await w.move(b.id, options[op.v % options.length]));
            break;
          }
          case 'close': {
            const b = pick(op.b, (x) => isOpenStatus(status(x)));
            if (!b) continue;
            note(b, op);
            const from = status(b);
            if (from === 'REPORTED' || from === 'TRIAGED') {
              allow(await w.move(b.id, op.v % 2 ? 'REJECTED' : 'WITHDRAWN'));
            } else {
              if (from === 'PRIORITISED') {
                allow(await w.move(b.id, 'IN_PROGRESS'));
                now = await check();
                log.push(`  then RESOLVED`);
              }
              allow(await w.move(b.id, 'RESOLVED'), 'PREREQUISITE_OPEN');
            }
            break;
          }
          case 'reopen': {
            const b = pick(op.b, (x) => !isOpenStatus(status(x)));
            if (!b) continue;
            note(b, op);
            allow(await w.move(b.id, 'TRIAGED'));
            break;
          }
          case 'duplicate': {
            const b = pick(op.b, (x) => ['REPORTED', 'TRIAGED', 'PRIORITISED'].includes(status(x)));
            const original = b && pick(op.c, (x) => x.id !== b.id && isOpenStatus(status(x)));
            if (!b || !original) continue;
            note(b, op);
            log[log.length - 1] += ` of ${original.key}`;
            allow(await w.move(b.id, 'DUPLICATE', { duplicateOfId: original.id }));
            break;
          }
          case 'cases':
            note(undefined, op);
            allow(await setCases(needs[op.n % needs.length], CASES_VALUES[op.v % CASES_VALUES.length]));
            break;
        }
        now = await check();
      }
      await check(true);
    });
    await fc.assert(property, { seed: 20261129, numRuns: 25, endOnFailure: true });
    expect(run).toBe(25);
    expect(reportsOnChains).toBeGreaterThan(0);
  }, 300_000);
});

describe('priority weights from configuration', () => {
  const ONLY_SEVERITY: Weights = {
    severity: 1,
    people: 0,
    work: 0,
    reach: 0,
    unblocks: 0,
    dependents: 0,
    urgency: 0,
  };
  let server: TestServer;

  afterAll(async () => server?.stop());

  it('uses PRIORITY_WEIGHTS for every score, at start and after changes', async () => {
    server = await TestServer.start({
      demo: true,
      env: { PRIORITY_WEIGHTS: 'severity=1,people=0,work=0,reach=0,unblocks=0,dependents=0,urgency=0' },
    });
    const w = await World.load(server);
    const check = async () => {
      const blockers = await w.allBlockers<BlockerData>(BLOCKER_DATA, 100);
      expect(differences(blockers, ONLY_SEVERITY)).toEqual([]);
      expect(differences(await loadFromDb(server), ONLY_SEVERITY)).toEqual([]);
      for (const b of blockers) {
        const divisor = b.effort ? DIVISOR[b.effort] : UNKNOWN_EFFORT;
        expect(b.priority.score).toBeCloseTo((100 * SEVERITY[b.severity]) / divisor, 2);
        for (const f of b.priority.factors) {
          expect(f.weight).toBe(ONLY_SEVERITY[f.name as FactorName]);
          if (f.name !== 'severity') expect(f.contribution).toBe(0);
        }
      }
      return blockers;
    };
    const blockers = await check();
    expect(blockers.find((b) => b.key === 'KNP-1')!.priority.score).toBeCloseTo(50, 2); // CRITICAL / L
    const need = await w.declareNeed('SVB', 'UWV', 99_000);
    const b = await w.report({
      needIds: [need],
      severity: 'HIGH',
      effort: 'S',
      targetDate: new Date().toISOString().slice(0, 10),
    });
    expect((await w.get(b.id, 'priority { score }')).priority.score).toBeCloseTo(70 / 1.2, 2);
    const version = await w.version(b.id);
    expectOk(
      await server.gql(
        `mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id } }`,
        { input: { id: b.id, expectedVersion: version, severity: 'LOW', effort: 'XS' } },
        w.admin,
      ),
    );
    expect((await w.get(b.id, 'priority { score }')).priority.score).toBeCloseTo(15, 2);
    await check();
  });

  it('recomputes the stored scores when the server restarts with other weights', async () => {
    const databaseUrl = server.databaseUrl;
    await server.stop();
    server = await TestServer.start({ databaseUrl });
    const w = await World.load(server);
    const blockers = await w.allBlockers<BlockerData>(BLOCKER_DATA, 100);
    expect(differences(blockers, DEFAULT_WEIGHTS)).toEqual([]);
    expect(differences(await loadFromDb(server), DEFAULT_WEIGHTS)).toEqual([]);
    expect(blockers.find((b) => b.key === 'KNP-1')!.priority.score).toBeCloseTo(27.0, 1);
  });
});

describe('urgency as the calendar moves (SCORE_REFRESH_INTERVAL_MS)', () => {
  let server: TestServer;
  afterAll(async () => server?.stop());

  it('brings a score whose urgency the calendar changed up to date, with an audit event', async () => {
    server = await TestServer.start({ demo: true, env: { SCORE_REFRESH_INTERVAL_MS: '300' } });
    const w = await World.load(server);
    const need = await w.declareNeed('SVB', 'UWV', 5_000);
    const inThirtyDays = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);
    const b = await w.report({ needIds: [need], severity: 'HIGH', effort: 'M', targetDate: inThirtyDays });
    const current = async () =>
      differences(await w.allBlockers<BlockerData>(BLOCKER_DATA, 100), DEFAULT_WEIGHTS);
    expect(await current()).toEqual([]);
    const fresh = (await w.get(b.id, 'version priority { score }')) as {
      version: number;
      priority: { score: number };
    };

    // As stored 70 days ago, when the target date was 100 days away: urgency 0.5, a lower score.
    await server.db.query(
      `UPDATE blocker SET
         priority_factors = (SELECT jsonb_agg(CASE WHEN f->>'name' = 'urgency'
                                   THEN jsonb_set(jsonb_set(f, '{value}', '0.5'), '{contribution}', '0.025') ELSE f END)
                               FROM jsonb_array_elements(priority_factors) f),
         priority_score = priority_score - 1.67
       WHERE id = $1`,
      [localId(b.id)],
    );
    let stale = true;
    for (let i = 0; i < 50 && stale; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const view = (await w.get(b.id, 'priority { score factors { name value } }')) as {
        priority: { score: number; factors: Array<{ name: string; value: number }> };
      };
      stale = view.priority.factors.find((f) => f.name === 'urgency')!.value !== 1;
    }
    expect(stale).toBe(false);
    expect(await current()).toEqual([]);
    const after = (await w.get(
      b.id,
      'version priority { score } history(first: 5) { nodes { action actor { subject } reason changes { field from to } } }',
    )) as {
      version: number;
      priority: { score: number };
      history: { nodes: Array<{ action: string; actor: unknown; reason: string; changes: unknown[] }> };
    };
    expect(after.priority.score).toBeCloseTo(fresh.priority.score, 2);
    // Derived, not edited: the version stays; the history says what the calendar did.
    expect(after.version).toBe(fresh.version);
    expect(after.history.nodes[0]).toEqual({
      action: 'priority.urgency_changed',
      actor: null,
      reason: `the target date ${inThirtyDays} is at most 90 days away`,
      changes: [{ field: 'urgency', from: 0.5, to: 1 }],
    });
    // Later refreshes find nothing stale and write nothing.
    await new Promise((r) => setTimeout(r, 1000));
    const { rows } = await server.db.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'priority.urgency_changed'`,
    );
    expect(rows[0].n).toBe(1);
  });
});
