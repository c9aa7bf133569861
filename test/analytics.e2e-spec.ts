/**
 * The analytics queries over HTTP on the demo data: blockerImpact, criticalBlockers, whatIf,
 * blockerGraph, exchangeMatrix, stats and progressReport. Expected answers are computed here from the
 * reference data with the brief's definitions, written out independently of the server's code.
 *
 * The demo's KNP-19 is confidential (Rotterdam reports it; it affects N3 and N5, which KNP-3 affects
 * too). An ANALYST never sees it listed; STEERING does. Computations count it either way: for the
 * analyst too, resolving KNP-3 does not free N3 or N5, because KNP-19 still holds them.
 */
import { BlockerLayer, BlockerType, layerOf } from '@app/blockers/domain/taxonomy';
import { reference } from './support/demo';
import { codeOf, GraphQLResponse, TestServer, token } from './support/server';

// ---------------------------------------------------------------- the reference model

const OPEN = new Set(['REPORTED', 'TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'ESCALATED']);
const blockers = reference.blockers.map((b, i) => ({ ...b, key: `KNP-${i + 1}`, ref: b.key, number: i + 1 }));
const byRef = new Map(blockers.map((b) => [b.ref, b]));
const needByKey = new Map(reference.needs.map((n) => [n.key, n]));
const providerByKey = new Map(reference.providers.map((p) => [p.key, p]));
const CONFIDENTIAL = new Set(blockers.filter((b) => b.confidential).map((b) => b.key));
const isOpen = (key: string): boolean => OPEN.has(blockers.find((b) => b.key === key)!.status);

/** open(n): keys of the open blockers affecting need n. */
const openOf = (needKey: string): string[] =>
  blockers.filter((b) => OPEN.has(b.status) && b.affectedNeeds.includes(needKey)).map((b) => b.key);
const blockedNeeds = reference.needs.filter((n) => openOf(n.key).length > 0).map((n) => n.key);

/** pre*(b) by fixpoint over open dependsOn edges. */
function pre(key: string): Set<string> {
  if (!isOpen(key)) return new Set();
  const found = new Set<string>();
  let frontier = [key];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const k of frontier) {
      const b = blockers.find((x) => x.key === k)!;
      for (const dep of b.dependsOn.map((r) => byRef.get(r)!.key)) {
        if (isOpen(dep) && dep !== key && !found.has(dep)) {
          found.add(dep);
          next.push(dep);
        }
      }
    }
    frontier = next;
  }
  return found;
}
const dependentsOf = (key: string): Set<string> =>
  new Set(blockers.filter((b) => OPEN.has(b.status) && pre(b.key).has(key)).map((b) => b.key));

const freedBy = (resolved: Set<string>): string[] =>
  blockedNeeds.filter((n) => openOf(n).every((b) => resolved.has(b)));
const people = (needs: string[]): number =>
  needs.reduce((s, n) => s + (needByKey.get(n)!.annualCases ?? 0), 0);
const fullyFreed = (freed: string[]): string[] => {
  const requesters = new Set(blockedNeeds.map((n) => needByKey.get(n)!.requester));
  return [...requesters].filter((p) =>
    blockedNeeds.filter((n) => needByKey.get(n)!.requester === p).every((n) => freed.includes(n)),
  );
};
function score(key: string) {
  const freed = isOpen(key) ? freedBy(new Set([key, ...pre(key)])) : [];
  return {
    needsUnblocked: freed.length,
    peopleReached: people(freed),
    providersUnblocked: fullyFreed(freed).length,
  };
}
function expectedWhatIf(keys: string[]) {
  const set = new Set(keys);
  const freed = freedBy(set);
  return {
    needsUnblocked: freed.sort(),
    needsStillBlocked: blockedNeeds.length - freed.length,
    peopleReached: people(freed),
    providersFullyUnblocked: fullyFreed(freed).sort(),
    blockedByPrerequisites: keys
      .filter((k) => isOpen(k))
      .filter((k) =>
        blockers
          .find((b) => b.key === k)!
          .dependsOn.map((r) => byRef.get(r)!.key)
          .some((d) => isOpen(d) && !set.has(d)),
      )
      .sort(),
  };
}

// ---------------------------------------------------------------- the test

const analyst = token('ANALYST', { sub: 'analytics-analyst' });
const steering = token('STEERING', { sub: 'analytics-steering' });
const orgOf = (key: string): string => providerByKey.get(key)!.oin ?? providerByKey.get(key)!.tooiUri!;
const steward = (key: string): string =>
  token('STEWARD', { org: orgOf(key), sub: `analytics-steward-${key.toLowerCase()}` });

const localId = (globalId: string): string =>
  Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
const gid = (type: string, id: string): string => Buffer.from(`${type}:${id}`).toString('base64url');
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const sorted = <T>(list: T[]): T[] => [...list].sort();
const byNumber = (a: string, b: string): number => Number(a.slice(4)) - Number(b.slice(4));
const fieldsOf = (res: GraphQLResponse): string[] =>
  (res.errors?.[0]?.extensions?.fields ?? []).map((f: { field: string }) => f.field);

const SCORE = 'blocker { key } needsUnblocked peopleReached providersUnblocked';
const CRITICAL = `query($first: Int, $by: ImpactMeasure) { criticalBlockers(first: $first, by: $by) { ${SCORE} } }`;
const IMPACT = `query($id: ID!) { blockerImpact(id: $id) {
  blocker { key } affectedNeeds { id } affectedProviders { id } peopleAffectedPerYear
  unblockedIfResolved { id } prerequisites { key } dependents { key } } }`;
const WHAT_IF = `query($ids: [ID!]!) { whatIf(resolve: $ids) {
  needsUnblocked { id } needsStillBlocked peopleReached providersFullyUnblocked { id } blockedByPrerequisites { key } } }`;
const GRAPH = `query($input: BlockerGraphInput) { blockerGraph(input: $input) {
  nodes { id kind label weight } edges { source target kind needId blocked } totalNodes truncated } }`;

describe('analytics', () => {
  let server: TestServer;
  /** Global IDs by reference key: providers (UWV), needs (N1), blockers (KNP-1), datasets (BRP). */
  const P: Record<string, string> = {};
  const N: Record<string, string> = {};
  const B: Record<string, string> = {};
  const D: Record<string, string> = {};
  /** Reference key of a global ID. */
  const keyOf = new Map<string, string>();

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    const data = await server.ok<any>(
      `{ providers(first: 100) { nodes { id name } }
         datasets(first: 100) { nodes { id code holder { name } } }
         dataNeeds(first: 100) { nodes { id purpose requester { name } supplier { name } } }
         blockers(first: 100) { nodes { id key } } }`,
      {},
      steering,
    );
    const providerKey = new Map(reference.providers.map((p) => [p.name, p.key]));
    for (const p of data.providers.nodes) P[providerKey.get(p.name)!] = p.id;
    for (const d of reference.datasets) {
      const holder = providerByKey.get(d.holder)!.name;
      D[d.key] = data.datasets.nodes.find((x: any) => x.code === d.code && x.holder.name === holder).id;
    }
    for (const n of reference.needs) {
      const match = data.dataNeeds.nodes.find(
        (x: any) =>
          x.purpose === n.purpose &&
          x.requester.name === providerByKey.get(n.requester)!.name &&
          x.supplier.name === providerByKey.get(n.supplier)!.name,
      );
      N[n.key] = match.id;
    }
    for (const b of data.blockers.nodes) B[b.key] = b.id;
    for (const [map] of [[P], [N], [B], [D]]) for (const [k, v] of Object.entries(map)) keyOf.set(v, k);
    expect(Object.keys(B)).toHaveLength(blockers.length);
    expect(Object.keys(N)).toHaveLength(reference.needs.length);
  });
  afterAll(async () => server?.stop());

  const keys = (list: Array<{ id: string }>): string[] => sorted(list.map((x) => keyOf.get(x.id)!));

  // ---------------------------------------------------------------- criticalBlockers

  describe('criticalBlockers', () => {
    const expected = (viewer: 'analyst' | 'steering', by: string) => {
      const measure = (s: ReturnType<typeof score>): number =>
        by === 'NEEDS_UNBLOCKED'
          ? s.needsUnblocked
          : by === 'PEOPLE_REACHED'
            ? s.peopleReached
            : s.providersUnblocked;
      return blockers
        .filter((b) => OPEN.has(b.status) && (viewer === 'steering' || !b.confidential))
        .map((b) => ({ key: b.key, number: b.number, ...score(b.key) }))
        .sort((a, b) => measure(b) - measure(a) || a.number - b.number)
        .map(({ key, needsUnblocked, peopleReached, providersUnblocked }) => ({
          blocker: { key },
          needsUnblocked,
          peopleReached,
          providersUnblocked,
        }));
    };

    it.each(['NEEDS_UNBLOCKED', 'PEOPLE_REACHED', 'PROVIDERS_UNBLOCKED'])(
      'ranks every open blocker by %s, ties by key number',
      async (by) => {
        const asSteering = await server.ok<any>(CRITICAL, { first: 100, by }, steering);
        expect(asSteering.criticalBlockers).toEqual(expected('steering', by));
        expect(asSteering.criticalBlockers.map((s: any) => s.blocker.key)).toContain('KNP-19');
        const asAnalyst = await server.ok<any>(CRITICAL, { first: 100, by }, analyst);
        expect(asAnalyst.criticalBlockers).toEqual(expected('analyst', by));
        expect(asAnalyst.criticalBlockers.map((s: any) => s.blocker.key)).not.toContain('KNP-19');
      },
    );

    it('defaults to the first 10 by needs unblocked', async () => {
      const data = await server.ok<any>(`{ criticalBlockers { ${SCORE} } }`, {}, analyst);
      expect(data.criticalBlockers).toEqual(expected('analyst', 'NEEDS_UNBLOCKED').slice(0, 10));
    });

    it('refuses first outside 1..100', async () => {
      for (const first of [0, 101]) {
        const res = await server.gql(CRITICAL, { first }, analyst);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(fieldsOf(res)).toEqual(['first']);
      }
    });

    it('reads the graph in a fixed number of statements, however many blockers it returns', async () => {
      const one = await server.gql(CRITICAL, { first: 1 }, analyst);
      const all = await server.gql(CRITICAL, { first: 100 }, analyst);
      expect(all.extensions?.queryStats?.sqlStatements).toBe(one.extensions?.queryStats?.sqlStatements);
    });
  });

  // ---------------------------------------------------------------- blockerImpact

  describe('blockerImpact', () => {
    it.each(blockers.filter((b) => !b.confidential).map((b) => b.key))(
      'answers %s by the definitions',
      async (key) => {
        const b = blockers.find((x) => x.key === key)!;
        const { blockerImpact: impact } = await server.ok<any>(IMPACT, { id: B[key] }, analyst);
        const visible = (set: Set<string>) => [...set].filter((k) => !CONFIDENTIAL.has(k)).sort(byNumber);
        expect(impact.blocker.key).toBe(key);
        expect(keys(impact.affectedNeeds)).toEqual(sorted(b.affectedNeeds));
        expect(keys(impact.affectedProviders)).toEqual(
          sorted([
            ...new Set(
              b.affectedNeeds.flatMap((n) => [needByKey.get(n)!.requester, needByKey.get(n)!.supplier]),
            ),
          ]),
        );
        expect(impact.peopleAffectedPerYear).toBe(people(b.affectedNeeds));
        const resolved = isOpen(key) ? new Set([key, ...pre(key)]) : new Set<string>();
        expect(keys(impact.unblockedIfResolved)).toEqual(sorted(freedBy(resolved)));
        expect(impact.prerequisites.map((x: any) => x.key)).toEqual(visible(pre(key)));
        expect(impact.dependents.map((x: any) => x.key)).toEqual(visible(dependentsOf(key)));
      },
    );

    it('counts what the viewer cannot see: KNP-3 frees nothing while KNP-19 holds N3 and N5', async () => {
      const asAnalyst = (await server.ok<any>(IMPACT, { id: B['KNP-3'] }, analyst)).blockerImpact;
      expect(asAnalyst.unblockedIfResolved).toEqual([]);
      expect(asAnalyst.dependents).toEqual([{ key: 'KNP-4' }]);
    });

    it('answers KNP-19 to STEERING and to a steward of Rotterdam, NOT_FOUND to an analyst and others', async () => {
      for (const bearer of [steering, steward('ROTTERDAM')]) {
        const impact = (await server.ok<any>(IMPACT, { id: B['KNP-19'] }, bearer)).blockerImpact;
        expect(impact.blocker.key).toBe('KNP-19');
        expect(keys(impact.affectedNeeds)).toEqual(['N3', 'N5']);
        expect(impact.unblockedIfResolved).toEqual([]);
      }
      for (const bearer of [analyst, steward('UTRECHT')]) {
        const res = await server.gql(IMPACT, { id: B['KNP-19'] }, bearer);
        expect(codeOf(res)).toBe('NOT_FOUND');
        expect(fieldsOf(res)).toEqual(['id']);
        expect(JSON.stringify(res)).not.toContain('Tax-debt signal experiment');
      }
    });

    it('lists the same entities, in the same order, when the query asks for more than ids and keys', async () => {
      // Ids and keys come from the analytics index; other fields make the server read the rows.
      const FULL = `query($id: ID!) { blockerImpact(id: $id) {
        blocker { key title } affectedNeeds { id purpose requester { name } } affectedProviders { id name kind }
        unblockedIfResolved { id state } prerequisites { key status } dependents { key title } } }`;
      for (const [key, bearer] of [
        ['KNP-3', analyst],
        ['KNP-4', analyst],
        ['KNP-19', steering],
      ] as const) {
        const ids = (await server.ok<any>(IMPACT, { id: B[key] }, bearer)).blockerImpact;
        const full = (await server.ok<any>(FULL, { id: B[key] }, bearer)).blockerImpact;
        const pick = (list: any[], field: string) => list.map((x) => x[field]);
        expect(full.blocker.key).toBe(key);
        expect(full.blocker.title).toEqual(expect.any(String));
        expect(pick(full.affectedNeeds, 'id')).toEqual(pick(ids.affectedNeeds, 'id'));
        expect(full.affectedNeeds.every((n: any) => typeof n.purpose === 'string' && n.requester.name)).toBe(
          true,
        );
        expect(pick(full.affectedProviders, 'id')).toEqual(pick(ids.affectedProviders, 'id'));
        expect(pick(full.unblockedIfResolved, 'id')).toEqual(pick(ids.unblockedIfResolved, 'id'));
        expect(pick(full.prerequisites, 'key')).toEqual(pick(ids.prerequisites, 'key'));
        expect(pick(full.dependents, 'key')).toEqual(pick(ids.dependents, 'key'));
      }
    });

    it('NOT_FOUND for an unknown blocker, BAD_USER_INPUT for an ID that is not a blocker', async () => {
      expect(codeOf(await server.gql(IMPACT, { id: gid('Blocker', UNKNOWN) }, analyst))).toBe('NOT_FOUND');
      const res = await server.gql(IMPACT, { id: P.UWV }, analyst);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual(['id']);
    });
  });

  // ---------------------------------------------------------------- whatIf

  describe('whatIf', () => {
    const ask = async (bearer: string, keyList: string[]) => {
      const data = await server.ok<any>(WHAT_IF, { ids: keyList.map((k) => B[k]) }, bearer);
      const w = data.whatIf;
      return {
        needsUnblocked: keys(w.needsUnblocked),
        needsStillBlocked: w.needsStillBlocked,
        peopleReached: w.peopleReached,
        providersFullyUnblocked: keys(w.providersFullyUnblocked),
        blockedByPrerequisites: w.blockedByPrerequisites.map((b: any) => b.key).sort(),
      };
    };
    const visibleOpen = blockers.filter((b) => OPEN.has(b.status) && !b.confidential).map((b) => b.key);

    it.each([
      ['nothing', []],
      ['KNP-3 alone', ['KNP-3']],
      ['KNP-4 without its prerequisite KNP-3', ['KNP-4']],
      ['KNP-4 with KNP-3', ['KNP-4', 'KNP-3']],
      ['KNP-13 and KNP-14', ['KNP-13', 'KNP-14']],
      ['a closed blocker and an open one', ['KNP-5', 'KNP-12']],
      ['the same blocker twice', ['KNP-9', 'KNP-9']],
      ['every open blocker the analyst sees', visibleOpen],
    ])('resolves exactly %s', async (_label, keyList) => {
      expect(await ask(analyst, keyList)).toEqual(expectedWhatIf(keyList));
    });

    it('with KNP-19 (STEERING): N3 and N5 flow, Rotterdam is fully unblocked', async () => {
      const answer = await ask(steering, ['KNP-3', 'KNP-19']);
      expect(answer).toEqual(expectedWhatIf(['KNP-3', 'KNP-19']));
      expect(answer.needsUnblocked).toEqual(['N3', 'N5']);
      expect(answer.providersFullyUnblocked).toEqual(['ROTTERDAM']);
      expect(await ask(steering, [...visibleOpen, 'KNP-19'])).toMatchObject({ needsStillBlocked: 0 });
    });

    it('the analyst resolving everything it sees leaves the needs KNP-19 holds blocked', async () => {
      const answer = await ask(analyst, visibleOpen);
      expect(answer.needsStillBlocked).toBe(2);
      expect(answer.needsUnblocked).not.toContain('N3');
    });

    it('KNP-19 is NOT_FOUND for an analyst, naming the field', async () => {
      const res = await server.gql(WHAT_IF, { ids: [B['KNP-3'], B['KNP-19']] }, analyst);
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(fieldsOf(res)).toEqual(['resolve.1']);
      const unknown = await server.gql(WHAT_IF, { ids: [gid('Blocker', UNKNOWN)] }, steering);
      expect(codeOf(unknown)).toBe('NOT_FOUND');
      expect(fieldsOf(unknown)).toEqual(['resolve.0']);
      const bad = await server.gql(WHAT_IF, { ids: [B['KNP-3'], N.N1] }, analyst);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(bad)).toEqual(['resolve.1']);
    });
  });

  // ---------------------------------------------------------------- blockerGraph

  describe('blockerGraph', () => {
    type Graph = {
      nodes: Array<{ id: string; kind: string; label: string; weight: number }>;
      edges: Array<{ source: string; target: string; kind: string; needId: string | null; blocked: boolean }>;
      totalNodes: number;
      truncated: boolean;
    };
    const graph = async (bearer: string, input: Record<string, unknown> | null): Promise<Graph> =>
      (await server.ok<any>(GRAPH, { input }, bearer)).blockerGraph;
    const nodeKeys = (g: Graph): string[] => sorted(g.nodes.map((n) => keyOf.get(n.id) ?? `?${n.id}`));
    const edgeSet = (g: Graph): string[] =>
      sorted(
        g.edges.map(
          (e) =>
            `${e.kind} ${keyOf.get(e.source)}->${keyOf.get(e.target)}${e.needId ? ` ${keyOf.get(e.needId)}` : ''}`,
        ),
      );
    const datasetsOf = reference.datasets.map((d) => d.key);

    /** The whole graph by the contract's edge rules, for the blockers the viewer sees. */
    const expectedWhole = (seen: (b: (typeof blockers)[number]) => boolean) => {
      const shown = blockers.filter((b) => OPEN.has(b.status) && seen(b));
      const edges = [
        ...reference.needs.map((n) => `NEEDS ${n.requester}->${n.supplier} ${n.key}`),
        ...reference.datasets.map((d) => `HOLDS ${d.holder}->${d.key}`),
        ...shown.flatMap((b) =>
          b.affectedNeeds.flatMap((n) => [
            `BLOCKS ${b.key}->${needByKey.get(n)!.requester} ${n}`,
            `BLOCKS ${b.key}->${needByKey.get(n)!.supplier} ${n}`,
          ]),
        ),
        ...shown.flatMap((b) =>
          b.dependsOn
            .map((r) => byRef.get(r)!)
            .filter((d) => shown.includes(d))
            .map((d) => `DEPENDS_ON ${b.key}->${d.key}`),
        ),
      ];
      const nodes = new Set(edges.flatMap((e) => e.split(' ')[1].split('->')));
      return { nodes: sorted([...nodes]), edges: sorted(edges) };
    };

    it('the whole registry: the edges of the contract, open blockers the viewer sees, connected nodes only', async () => {
      const asAnalyst = await graph(analyst, null);
      const expected = expectedWhole((b) => !b.confidential);
      expect(edgeSet(asAnalyst)).toEqual(expected.edges);
      expect(nodeKeys(asAnalyst)).toEqual(expected.nodes);
      expect(asAnalyst).toMatchObject({ totalNodes: expected.nodes.length, truncated: false });
      expect(nodeKeys(asAnalyst)).not.toContain('KNP-19');
      expect(nodeKeys(asAnalyst)).not.toContain('SZW'); // owner only: no edge of its own
      expect(JSON.stringify(asAnalyst)).not.toContain(B['KNP-19']);

      const asSteering = await graph(steering, {});
      expect(edgeSet(asSteering)).toEqual(expectedWhole(() => true).edges);
      expect(nodeKeys(asSteering)).toContain('KNP-19');
      expect(nodeKeys(asSteering).filter((k) => datasetsOf.includes(k))).toHaveLength(datasetsOf.length);
    });

    it('kinds, labels, weights and blocked flags', async () => {
      const g = await graph(analyst, null);
      const providers = await server.ok<any>(
        '{ providers(first: 100) { nodes { id openBlockerCount } } blockers(first: 100) { nodes { id priority { score } } } }',
        {},
        analyst,
      );
      const count = new Map(providers.providers.nodes.map((p: any) => [p.id, p.openBlockerCount]));
      const scoreOf = new Map(providers.blockers.nodes.map((b: any) => [b.id, b.priority.score]));
      for (const node of g.nodes) {
        const key = keyOf.get(node.id)!;
        if (node.kind === 'PROVIDER') {
          expect(node.weight).toBe(count.get(node.id));
          expect(node.label).toBe(providerByKey.get(key)!.abbreviation ?? providerByKey.get(key)!.name);
        } else if (node.kind === 'BLOCKER') {
          expect(node).toMatchObject({ label: key, weight: scoreOf.get(node.id) });
        } else {
          expect(node.kind).toBe('DATASET');
          const open = new Set(
            blockers
              .filter(
                (b) => OPEN.has(b.status) && b.affectedNeeds.some((n) => needByKey.get(n)!.dataset === key),
              )
              .map((b) => b.key),
          );
          const code = reference.datasets.find((d) => d.key === key)!.code;
          expect(node).toMatchObject({ label: code, weight: open.size });
        }
      }
      for (const e of g.edges) {
        if (e.kind === 'NEEDS') expect(e.blocked).toBe(blockedNeeds.includes(keyOf.get(e.needId!)!));
        if (e.kind === 'BLOCKS' || e.kind === 'DEPENDS_ON') expect(e.blocked).toBe(true);
        if (e.kind === 'HOLDS') expect(e).toMatchObject({ needId: null, blocked: false });
      }
    });

    it('around a provider, k hops out, with the edges among the nodes reached', async () => {
      const one = await graph(analyst, { focusId: P.AMSTERDAM, depth: 1 });
      expect(nodeKeys(one)).toEqual(sorted(['AMSTERDAM', 'BD', 'TOESLAGEN', 'BIJSTAND', 'KNP-3', 'KNP-4']));
      expect(keyOf.get(one.nodes[0].id)).toBe('AMSTERDAM');
      expect(edgeSet(one)).toEqual(
        sorted([
          'NEEDS AMSTERDAM->BD N3',
          'NEEDS AMSTERDAM->TOESLAGEN N4',
          'HOLDS AMSTERDAM->BIJSTAND',
          'BLOCKS KNP-3->AMSTERDAM N3',
          'BLOCKS KNP-3->BD N3',
          'BLOCKS KNP-3->BD N5',
          'BLOCKS KNP-4->AMSTERDAM N4',
          'BLOCKS KNP-4->TOESLAGEN N4',
          'DEPENDS_ON KNP-4->KNP-3',
        ]),
      );
      const withSecret = await graph(steering, { focusId: P.AMSTERDAM, depth: 1 });
      expect(nodeKeys(withSecret)).toEqual(sorted([...nodeKeys(one), 'KNP-19']));
      const two = await graph(analyst, { focusId: P.AMSTERDAM, depth: 2 });
      expect(nodeKeys(two)).toEqual(expect.arrayContaining(['ROTTERDAM', 'BELSCHULD', 'KADASTER']));
    });

    it('around a blocker and around a dataset; depth 0 is the focus alone', async () => {
      const b = await graph(analyst, { focusId: B['KNP-13'], depth: 1 });
      expect(nodeKeys(b)).toEqual(sorted(['KNP-13', 'KNP-14', 'LBIO', 'UWV']));
      const d = await graph(analyst, { focusId: D.POLIS, depth: 1 });
      expect(nodeKeys(d)).toEqual(['POLIS', 'UWV']);
      const zero = await graph(analyst, { focusId: B['KNP-13'], depth: 0 });
      expect(zero).toEqual({
        nodes: [expect.objectContaining({ id: B['KNP-13'] })],
        edges: [],
        totalNodes: 1,
        truncated: false,
      });
    });

    it('a node without connections is an empty answer', async () => {
      const empty = { nodes: [], edges: [], totalNodes: 0, truncated: false };
      expect(await graph(analyst, { focusId: P.SZW, depth: 4 })).toEqual(empty);
      // A closed blocker is not in the open graph, and is with openOnly: false.
      expect(await graph(analyst, { focusId: B['KNP-5'] })).toEqual(empty);
      expect(nodeKeys(await graph(analyst, { focusId: B['KNP-5'], openOnly: false }))).toEqual(
        sorted(['KNP-5', 'CJIB', 'BD']),
      );
      // Out of the chosen layers.
      expect(await graph(analyst, { focusId: B['KNP-13'], layers: ['LEGAL'] })).toEqual(empty);
    });

    it('filters by layer', async () => {
      const g = await graph(analyst, { layers: ['TECHNICAL', 'GOVERNANCE'] });
      const shown = g.nodes.filter((n) => n.kind === 'BLOCKER').map((n) => keyOf.get(n.id)!);
      expect(sorted(shown)).toEqual(
        sorted(
          blockers
            .filter(
              (b) =>
                OPEN.has(b.status) && ['TECHNICAL', 'GOVERNANCE'].includes(layerOf(b.type as BlockerType)),
            )
            .map((b) => b.key),
        ),
      );
    });

    it('cuts at the limit and says so', async () => {
      const whole = await graph(analyst, null);
      const cut = await graph(analyst, { limit: 10 });
      expect(cut.nodes).toHaveLength(10);
      expect(cut).toMatchObject({ totalNodes: whole.totalNodes, truncated: true });
      const kept = new Set(cut.nodes.map((n) => n.id));
      expect(cut.edges.every((e) => kept.has(e.source) && kept.has(e.target))).toBe(true);
      expect(await graph(analyst, { limit: 10 })).toEqual(cut);
      const near = await graph(analyst, { focusId: P.AMSTERDAM, depth: 4, limit: 1 });
      expect(near).toMatchObject({ nodes: [{ id: P.AMSTERDAM }], edges: [], truncated: true });
    });

    it('cuts edges at edgeLimit, those among the first nodes first, and says so', async () => {
      const EDGES = `query($input: BlockerGraphInput) { blockerGraph(input: $input) {
        nodes { id } edges { source target kind needId } totalNodes totalEdges truncated } }`;
      const of = async (input: Record<string, unknown>) =>
        (await server.ok<any>(EDGES, { input }, analyst)).blockerGraph;
      const whole = await of({});
      expect(whole).toMatchObject({ totalEdges: whole.edges.length, truncated: false });
      expect(whole.edges.length).toBeGreaterThan(3);
      const cut = await of({ edgeLimit: 3 });
      expect(cut.nodes).toEqual(whole.nodes);
      expect(cut.edges).toHaveLength(3);
      expect(cut).toMatchObject({
        totalNodes: whole.totalNodes,
        totalEdges: whole.edges.length,
        truncated: true,
      });
      // Every edge kept lies among nodes no later than those of any edge left out.
      const position = new Map<string, number>(
        whole.nodes.map((n: any, i: number): [string, number] => [n.id, i]),
      );
      const rank = (e: any): number => Math.max(position.get(e.source)!, position.get(e.target)!);
      const key = (e: any): string => `${e.kind} ${e.source} ${e.target} ${e.needId}`;
      const keptKeys = new Set(cut.edges.map(key));
      const worstKept = Math.max(...cut.edges.map(rank));
      const bestLeft = Math.min(...whole.edges.filter((e: any) => !keptKeys.has(key(e))).map(rank));
      expect(worstKept).toBeLessThanOrEqual(bestLeft);
      for (const input of [{ edgeLimit: 0 }, { edgeLimit: 20001 }]) {
        const res = await server.gql(GRAPH, { input }, analyst);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(fieldsOf(res)).toEqual(['input.edgeLimit']);
      }
    });

    it('a confidential focus is NOT_FOUND to whom may not see it; bad input is named', async () => {
      const hidden = await server.gql(GRAPH, { input: { focusId: B['KNP-19'] } }, analyst);
      expect(codeOf(hidden)).toBe('NOT_FOUND');
      expect(fieldsOf(hidden)).toEqual(['input.focusId']);
      expect(nodeKeys(await graph(steward('ROTTERDAM'), { focusId: B['KNP-19'] }))).toContain('KNP-19');
      expect(codeOf(await server.gql(GRAPH, { input: { focusId: gid('Provider', UNKNOWN) } }, analyst))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await server.gql(GRAPH, { input: { focusId: gid('Dataset', UNKNOWN) } }, analyst))).toBe(
        'NOT_FOUND',
      );
      const need = await server.gql(GRAPH, { input: { focusId: N.N1 } }, analyst);
      expect(codeOf(need)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(need)).toEqual(['input.focusId']);
      for (const input of [{ depth: 5 }, { depth: -1 }, { limit: 0 }, { limit: 5001 }]) {
        const res = await server.gql(GRAPH, { input }, analyst);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(fieldsOf(res)).toEqual([`input.${Object.keys(input)[0]}`]);
      }
    });
  });

  // ---------------------------------------------------------------- exchangeMatrix

  describe('exchangeMatrix', () => {
    const MATRIX = `query($openOnly: Boolean) { exchangeMatrix(openOnly: $openOnly) {
      requester { id } supplier { id } needs blockedNeeds openBlockers } }`;
    const expected = (openOnly: boolean) => {
      const cells = new Map<string, { needs: string[]; blockers: Set<string> }>();
      for (const n of reference.needs) {
        const key = `${n.requester}->${n.supplier}`;
        const cell = cells.get(key) ?? { needs: [], blockers: new Set<string>() };
        cell.needs.push(n.key);
        for (const b of openOf(n.key)) cell.blockers.add(b);
        cells.set(key, cell);
      }
      return sorted(
        [...cells]
          .map(([key, c]) => ({
            key,
            needs: c.needs.length,
            blockedNeeds: c.needs.filter((n) => blockedNeeds.includes(n)).length,
            openBlockers: c.blockers.size,
          }))
          .filter((c) => !openOnly || c.blockedNeeds > 0)
          .map((c) => `${c.key} ${c.needs}/${c.blockedNeeds}/${c.openBlockers}`),
      );
    };
    const actual = (cells: any[]) =>
      sorted(
        cells.map(
          (c) =>
            `${keyOf.get(c.requester.id)}->${keyOf.get(c.supplier.id)} ${c.needs}/${c.blockedNeeds}/${c.openBlockers}`,
        ),
      );

    it('counts needs, blocked needs and open blockers per requester and supplier', async () => {
      const open = (await server.ok<any>(MATRIX, {}, analyst)).exchangeMatrix;
      expect(actual(open)).toEqual(expected(true));
      // Most blocked first.
      const blocked = open.map((c: any) => c.blockedNeeds);
      expect(blocked).toEqual([...blocked].sort((a, b) => b - a));
      const all = (await server.ok<any>(MATRIX, { openOnly: false }, analyst)).exchangeMatrix;
      expect(actual(all)).toEqual(expected(false));
      // Counts include the confidential blocker: the same numbers for STEERING.
      expect(actual((await server.ok<any>(MATRIX, {}, steering)).exchangeMatrix)).toEqual(expected(true));
    });
  });

  // ---------------------------------------------------------------- stats and progressReport

  describe('stats and progressReport', () => {
    const STATS = `{ stats { open byStatus { status count } byLayer { layer open resolved }
      ageing { label count } medianDaysToResolve stale } }`;
    const REPORT = `query($from: DateTime!, $to: DateTime!) { progressReport(from: $from, to: $to) {
      from to reported resolved reopened medianDaysToResolve byLayer { layer open resolved }
      newBlockers { key } resolvedBlockers { key resolution { kind } } staleBlockers { key } markdown } }`;
    const DAY = 86_400_000;
    const around = () => ({
      from: new Date(Date.now() - 10 * DAY).toISOString(),
      to: new Date(Date.now() + DAY).toISOString(),
    });
    const layers = Object.values(BlockerLayer);
    const byLayer = (status: (s: string) => boolean) =>
      layers.map(
        (layer) =>
          blockers.filter((b) => layerOf(b.type as BlockerType) === layer && status(b.status)).length,
      );

    it('stats count every blocker, confidential ones too', async () => {
      const expected = {
        open: blockers.filter((b) => OPEN.has(b.status)).length,
        byStatus: [
          'REPORTED',
          'TRIAGED',
          'PRIORITISED',
          'IN_PROGRESS',
          'ESCALATED',
          'RESOLVED',
          'REJECTED',
          'DUPLICATE',
          'WITHDRAWN',
        ].map((status) => ({ status, count: blockers.filter((b) => b.status === status).length })),
        byLayer: layers.map((layer, i) => ({
          layer,
          open: byLayer((s) => OPEN.has(s))[i],
          resolved: byLayer((s) => s === 'RESOLVED')[i],
        })),
        ageing: [
          { label: '0-30', count: blockers.filter((b) => OPEN.has(b.status)).length },
          { label: '31-90', count: 0 },
          { label: '91-180', count: 0 },
          { label: '181+', count: 0 },
        ],
        stale: 0,
      };
      const asAnalyst = (await server.ok<any>(STATS, {}, analyst)).stats;
      expect(asAnalyst).toMatchObject(expected);
      expect(asAnalyst.medianDaysToResolve).toBeGreaterThanOrEqual(0);
      expect(asAnalyst.medianDaysToResolve).toBeLessThan(1);
      expect((await server.ok<any>(STATS, {}, steering)).stats).toEqual(asAnalyst);
    });

    it('a report over the load of the demo data: everything new, the resolved ones with their resolution', async () => {
      const asAnalyst = (await server.ok<any>(REPORT, around(), analyst)).progressReport;
      const resolvedKeys = blockers.filter((b) => b.status === 'RESOLVED').map((b) => b.key);
      expect(asAnalyst).toMatchObject({
        reported: blockers.length,
        resolved: resolvedKeys.length,
        reopened: 0,
        newBlockers: blockers.filter((b) => !b.confidential).map((b) => ({ key: b.key })),
        resolvedBlockers: resolvedKeys.map((key) => ({
          key,
          resolution: { kind: blockers.find((b) => b.key === key)!.resolution!.kind },
        })),
        staleBlockers: [],
        byLayer: layers.map((layer, i) => ({
          layer,
          open: byLayer((s) => OPEN.has(s))[i],
          resolved: byLayer((s) => s === 'RESOLVED')[i],
        })),
      });
      const md: string = asAnalyst.markdown;
      expect(md).toMatch(/^# Progress report on data-exchange blockers: /);
      expect(md).toContain(`| Blockers reported | ${blockers.length} |`);
      expect(md).toContain('| Legal |');
      for (const key of resolvedKeys) {
        const b = blockers.find((x) => x.key === key)!;
        expect(md).toContain(`**${key}**`);
        expect(md).toContain(b.resolution!.summary);
        if (b.resolution!.reference) expect(md).toContain(b.resolution!.reference);
      }
      expect(md).not.toContain('KNP-19');
      expect(md).not.toContain(blockers.find((b) => b.key === 'KNP-19')!.title);
      expect(md).toContain('_Totals include confidential blockers that are not listed._');

      const asSteering = (await server.ok<any>(REPORT, around(), steering)).progressReport;
      expect(asSteering.newBlockers.map((b: any) => b.key)).toContain('KNP-19');
      expect(asSteering.markdown).toContain('KNP-19');
      expect(asSteering.markdown).not.toContain('not listed');
    });

    it('a period before anything happened is empty; a period must end after it starts', async () => {
      const before = (
        await server.ok<any>(REPORT, { from: '2020-01-01T00:00:00Z', to: '2020-04-01T00:00:00Z' }, analyst)
      ).progressReport;
      expect(before).toMatchObject({
        reported: 0,
        resolved: 0,
        reopened: 0,
        medianDaysToResolve: null,
        newBlockers: [],
        resolvedBlockers: [],
        staleBlockers: [],
      });
      expect(before.byLayer.every((l: any) => l.open === 0 && l.resolved === 0)).toBe(true);
      expect(before.markdown).toContain('2020-01-01 to 2020-03-31');
      expect(before.markdown).toContain('## Resolved blockers\n\nNone.');
      const res = await server.gql(
        REPORT,
        { from: '2021-01-01T00:00:00Z', to: '2021-01-01T00:00:00Z' },
        analyst,
      );
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(res)).toEqual(['to']);
    });

    it('lists the first of each list when asked, with complete counts and a note in the Markdown', async () => {
      const FIRST = `query($from: DateTime!, $to: DateTime!, $first: Int) {
        progressReport(from: $from, to: $to, first: $first) {
          reported newBlockers { key } staleBlockers { key } markdown } }`;
      const all = (await server.ok<any>(FIRST, around(), steering)).progressReport;
      expect(all.newBlockers).toHaveLength(all.reported);
      expect(all.markdown).not.toContain('are listed._');
      const two = (await server.ok<any>(FIRST, { ...around(), first: 2 }, steering)).progressReport;
      expect(two.reported).toBe(all.reported);
      expect(two.newBlockers).toEqual(all.newBlockers.slice(0, 2));
      expect(two.markdown).toContain(`_The first 2 of ${all.reported} are listed._`);
      expect(two.markdown).not.toContain('confidential');
      for (const first of [0, 1001]) {
        const res = await server.gql(FIRST, { ...around(), first }, steering);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(fieldsOf(res)).toEqual(['first']);
      }
    });

    // Last: these move the clock back for some blockers and reopen one.
    describe('with history', () => {
      const shift = async (key: string, days: { created: number; changed: number }) => {
        const id = localId(B[key]);
        await server.db.query(
          `UPDATE blocker SET created_at = now() - make_interval(days => $2),
                              status_changed_at = now() - make_interval(days => $3),
                              resolved_at = CASE WHEN resolved_at IS NULL THEN NULL ELSE now() - make_interval(days => $3) END
           WHERE id = $1`,
          [id, days.created, days.changed],
        );
        // The audit trail moves with it: reported when created, every status change at the last change.
        // It is append-only (a trigger refuses updates); only this test's own database is rewritten,
        // with the trigger off for the length of one transaction.
        const client = await server.db.connect();
        try {
          await client.query('BEGIN');
          await client.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
          await client.query(
            `UPDATE audit_event SET at = CASE WHEN action = 'blocker.reported' THEN now() - make_interval(days => $2)
                                              ELSE now() - make_interval(days => $3) END
             WHERE blocker_id = $1`,
            [id, days.created, days.changed],
          );
          await client.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      };

      beforeAll(async () => {
        await shift('KNP-1', { created: 200, changed: 120 }); // ESCALATED, stale, 181+
        await shift('KNP-19', { created: 100, changed: 95 }); // confidential, stale, 91-180
        await shift('KNP-2', { created: 40, changed: 10 }); // 31-90, not stale
        await shift('KNP-5', { created: 50, changed: 30 }); // RESOLVED after 20 days
        await shift('KNP-17', { created: 70, changed: 30 }); // RESOLVED after 40 days
        const k7 = await server.ok<any>('{ blocker(key: "KNP-7") { id version } }', {}, steering);
        await server.ok(
          'mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { status } }',
          {
            input: {
              id: k7.blocker.id,
              expectedVersion: k7.blocker.version,
              to: 'TRIAGED',
              reason: 'New facts',
            },
          },
          steering,
        );
      });

      it('stats: ageing, stale and median days to resolve', async () => {
        const stats = (await server.ok<any>(STATS, {}, analyst)).stats;
        const open = blockers.filter((b) => OPEN.has(b.status)).length + 1; // KNP-7 reopened
        expect(stats.open).toBe(open);
        expect(stats.ageing).toEqual([
          { label: '0-30', count: open - 3 },
          { label: '31-90', count: 1 },
          { label: '91-180', count: 1 },
          { label: '181+', count: 1 },
        ]);
        expect(stats.stale).toBe(2);
        expect(stats.medianDaysToResolve).toBeCloseTo(30, 3);
      });

      it('the report: stale blockers at the end, the reopened one, what was resolved in the period', async () => {
        const now = (await server.ok<any>(REPORT, around(), analyst)).progressReport;
        expect(now.reopened).toBe(1);
        expect(now.staleBlockers).toEqual([{ key: 'KNP-1' }]);
        expect(now.markdown).toContain('| KNP-1 |');
        expect(now.markdown).toMatch(/\| KNP-1 \| [^\n]* \| Escalated \| SZW \| \d{4}-\d{2}-\d{2} \| 120 \|/);
        expect(now.markdown).toContain('| Blockers reopened | 1 |');
        // The resolutions moved 30 days back: outside this period.
        expect(now.resolved).toBe(0);
        expect(now.reported).toBe(blockers.length - 5);
        const steeringView = (await server.ok<any>(REPORT, around(), steering)).progressReport;
        expect(steeringView.staleBlockers).toEqual([{ key: 'KNP-1' }, { key: 'KNP-19' }]);

        const earlier = (
          await server.ok<any>(
            REPORT,
            {
              from: new Date(Date.now() - 60 * DAY).toISOString(),
              to: new Date(Date.now() - 20 * DAY).toISOString(),
            },
            analyst,
          )
        ).progressReport;
        expect(earlier.resolvedBlockers.map((b: any) => b.key)).toEqual(['KNP-5', 'KNP-17']);
        expect(earlier.resolved).toBe(2);
        expect(earlier.medianDaysToResolve).toBeCloseTo(30, 3);
        expect(earlier.newBlockers.map((b: any) => b.key)).toEqual(['KNP-2', 'KNP-5']);
        // At its end (20 days ago) KNP-1 had been ESCALATED for 100 days, KNP-19 REPORTED for 80.
        expect(earlier.staleBlockers).toEqual([{ key: 'KNP-1' }]);
        const earlierSteering = (
          await server.ok<any>(
            REPORT,
            {
              from: new Date(Date.now() - 60 * DAY).toISOString(),
              to: new Date(Date.now() - 20 * DAY).toISOString(),
            },
            steering,
          )
        ).progressReport;
        expect(earlierSteering.staleBlockers).toEqual([{ key: 'KNP-1' }]);
        expect(earlierSteering.newBlockers.map((b: any) => b.key)).toEqual(['KNP-2', 'KNP-5']);
        expect(earlier.byLayer.find((l: any) => l.layer === 'LEGAL')).toEqual({
          layer: 'LEGAL',
          open: 2,
          resolved: 2,
        });
      });
    });
  });
});
