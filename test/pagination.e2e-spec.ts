/**
 * The list contract over HTTP on the demo data: Relay connections with keyset cursors, `first` 1 to
 * 100 (default 50), cursors that cannot be forged or replayed against another list, consistent
 * edges/nodes/pageInfo/totalCount, and walks that neither repeat nor skip while rows are added.
 */
import { fieldsOf, globalId, localId, UNKNOWN_UUID } from './support/checks';
import { oinOf, providerIds, reference } from './support/demo';
import { codeOf, TestServer, token } from './support/server';

interface Page {
  totalCount: number;
  edges: Array<{ cursor: string; node: { id: string } }>;
  nodes: Array<{ id: string; name?: string }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

const CONNECTION = `totalCount edges { cursor node { id } } nodes { id }
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }`;

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** edges, nodes and pageInfo of one page agree with each other. */
function expectConsistent(page: Page, first: number, afterGiven: boolean): void {
  expect(page.nodes.length).toBeLessThanOrEqual(first);
  expect(page.edges.map((e) => e.node.id)).toEqual(page.nodes.map((n) => n.id));
  expect(new Set(page.edges.map((e) => e.cursor)).size).toBe(page.edges.length);
  expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
  expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
  expect(page.pageInfo.hasPreviousPage).toBe(afterGiven);
}

describe('pagination', () => {
  let server: TestServer;
  let ids: Record<string, string>;
  const admin = token('ADMIN', { sub: 'pagination-admin' });
  const analyst = token('ANALYST', { sub: 'pagination-analyst' });
  const uwvSteward = token('STEWARD', { sub: 'pagination-uwv-steward', org: oinOf('UWV') });

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    ids = await providerIds(server, analyst);
  });
  afterAll(async () => server?.stop());

  const providersPage = async (
    first: number | null,
    after: string | null,
    filter?: Record<string, unknown>,
  ) =>
    (
      await server.ok<{ providers: Page }>(
        `query($first: Int, $after: String, $filter: ProviderFilter) {
           providers(first: $first, after: $after, filter: $filter) { ${CONNECTION} nodes { name } } }`,
        { first, after, filter },
        analyst,
      )
    ).providers;

  /** Walk a list page by page; `between` runs after each page (e.g. to add rows). */
  async function walk(
    fetchPage: (after: string | null) => Promise<Page>,
    first: number,
    between: (pageNo: number) => Promise<void> = async () => undefined,
  ): Promise<{ seen: string[]; pages: number; totals: number[] }> {
    const seen: string[] = [];
    const totals: number[] = [];
    let after: string | null = null;
    for (let pageNo = 1; pageNo <= 100; pageNo++) {
      const page = await fetchPage(after);
      expectConsistent(page, first, after !== null);
      if (page.pageInfo.hasNextPage) expect(page.nodes).toHaveLength(first);
      seen.push(...page.nodes.map((n) => n.id));
      totals.push(page.totalCount);
      if (!page.pageInfo.hasNextPage) return { seen, pages: pageNo, totals };
      after = page.pageInfo.endCursor;
      await between(pageNo);
    }
    throw new Error('the walk did not end');
  }

  let created = 0;
  const createProvider = async (name: string): Promise<string> =>
    (
      await server.ok<any>(
        'mutation($input: CreateProviderInput!) { createProvider(input: $input) { id } }',
        { input: { name: `${name} ${++created}`, kind: 'OTHER' } },
        admin,
      )
    ).createProvider.id;

  describe('first', () => {
    const lists: Array<[string, string]> = [
      ['providers', 'query($first: Int) { providers(first: $first) { totalCount } }'],
      ['datasets', 'query($first: Int) { datasets(first: $first) { totalCount } }'],
      ['dataNeeds', 'query($first: Int) { dataNeeds(first: $first) { totalCount } }'],
      [
        'Provider.needs',
        'query($first: Int, $id: ID!) { provider(id: $id) { needs(first: $first) { totalCount } } }',
      ],
      [
        'Provider.supplies',
        'query($first: Int, $id: ID!) { provider(id: $id) { supplies(first: $first) { totalCount } } }',
      ],
    ];

    it.each(lists)(
      '%s refuses first 0, 101 and -1 with BAD_USER_INPUT naming first',
      async (_name, query) => {
        for (const first of [0, 101, -1, 1000]) {
          const res = await server.gql(query, { first, id: ids.UWV }, analyst);
          expect({ first, code: codeOf(res), fields: fieldsOf(res) }).toEqual({
            first,
            code: 'BAD_USER_INPUT',
            fields: ['first'],
          });
        }
      },
    );

    it.each(lists)('%s accepts first 1 and 100', async (_name, query) => {
      for (const first of [1, 100]) {
        const res = await server.gql(query, { first, id: ids.UWV }, analyst);
        expect(res.errors).toBeUndefined();
      }
    });

    it('returns at most `first` nodes and 50 by default', async () => {
      // The demo has fewer than 50 providers: add enough to pass the default page size.
      const start = (await providersPage(100, null)).totalCount;
      for (let i = start; i < 57; i++) await createProvider('Default Page Filler');
      const total = (await providersPage(100, null)).totalCount;
      expect(total).toBeGreaterThan(50);

      const byDefault = await server.ok<{ providers: Page }>(`{ providers { ${CONNECTION} } }`, {}, analyst);
      expect(byDefault.providers.nodes).toHaveLength(50);
      expect(byDefault.providers.totalCount).toBe(total);
      expect(byDefault.providers.pageInfo.hasNextPage).toBe(true);
      expectConsistent(byDefault.providers, 50, false);

      const explicitNull = await providersPage(null, null);
      expect(explicitNull.nodes.map((n) => n.id)).toEqual(byDefault.providers.nodes.map((n) => n.id));

      const one = await providersPage(1, null);
      expect(one.nodes).toHaveLength(1);
      expect(one.nodes[0].id).toBe(byDefault.providers.nodes[0].id);
      expect(one.pageInfo.hasNextPage).toBe(true);
      expect(one.totalCount).toBe(total);

      const all = await providersPage(100, null);
      expect(all.nodes).toHaveLength(total);
      expect(all.pageInfo.hasNextPage).toBe(false);
    });
  });

  describe('after', () => {
    it('refuses cursors that are not cursors of this list and order, naming after', async () => {
      const providerCursor = (await providersPage(2, null)).pageInfo.endCursor!;
      const needCursor = (
        await server.ok<{ dataNeeds: Page }>(`{ dataNeeds(first: 2) { ${CONNECTION} } }`, {}, analyst)
      ).dataNeeds.pageInfo.endCursor!;
      const asOf = new Date().toISOString();
      const garbage = [
        'garbage',
        '',
        '!!!',
        encode('just a string'),
        encode({ k: 'A', id: UNKNOWN_UUID }),
        encode({ k: 'A', id: 'not-a-uuid', asOf, sig: 'name' }),
        encode({ k: 'A', id: UNKNOWN_UUID, asOf: 'yesterday', sig: 'name' }),
        encode({ k: 'A', id: UNKNOWN_UUID, asOf, sig: 'created' }),
        encode({ k: null, id: UNKNOWN_UUID, asOf, sig: 'name' }),
        encode({ k: 'A\u0000B', id: UNKNOWN_UUID, asOf, sig: 'name' }), // text cannot hold NUL
        needCursor, // a cursor of another list
      ];
      for (const after of garbage) {
        const res = await server.gql(
          'query($after: String) { providers(first: 5, after: $after) { totalCount } }',
          { after },
          analyst,
        );
        expect({ after, code: codeOf(res), fields: fieldsOf(res) }).toEqual({
          after,
          code: 'BAD_USER_INPUT',
          fields: ['after'],
        });
      }
      // A provider cursor on the needs list, and forged sort keys that are no moment in time: of the
      // wrong shape, or of the right shape but a day or hour that does not exist.
      for (const after of [
        providerCursor,
        encode({ k: 'yesterday', id: UNKNOWN_UUID, asOf, sig: 'created' }),
        encode({ k: '2026-13-45 25:61:61+00', id: UNKNOWN_UUID, asOf, sig: 'created' }),
        encode({ k: '2026-02-30 10:00:00.5+00', id: UNKNOWN_UUID, asOf, sig: 'created' }),
        encode({ k: '2026-01-01 24:30:00+00', id: UNKNOWN_UUID, asOf, sig: 'created' }),
      ]) {
        const res = await server.gql(
          'query($after: String) { dataNeeds(first: 5, after: $after) { totalCount } }',
          { after },
          analyst,
        );
        expect({ code: codeOf(res), fields: fieldsOf(res) }).toEqual({
          code: 'BAD_USER_INPUT',
          fields: ['after'],
        });
      }
      // Nested lists check their cursors too.
      const nested = await server.gql(
        'query($id: ID!) { provider(id: $id) { supplies(first: 2, after: "garbage") { totalCount } } }',
        { id: ids.UWV },
        analyst,
      );
      expect({ code: codeOf(nested), fields: fieldsOf(nested) }).toEqual({
        code: 'BAD_USER_INPUT',
        fields: ['after'],
      });
    });

    it('continues strictly after the cursor; past the end comes an empty page', async () => {
      const all = await providersPage(100, null);
      const page = await providersPage(3, all.edges[9].cursor);
      expect(page.nodes.map((n) => n.id)).toEqual(all.nodes.slice(10, 13).map((n) => n.id));
      expect(page.totalCount).toBe(all.totalCount);
      expect(page.pageInfo.hasPreviousPage).toBe(true);

      // The last cursor gives an empty page with no cursors.
      const end = await providersPage(5, all.pageInfo.endCursor);
      expect(end.nodes).toEqual([]);
      expect(end.pageInfo).toEqual({
        hasNextPage: false,
        hasPreviousPage: true,
        startCursor: null,
        endCursor: null,
      });
      expect(end.totalCount).toBe(all.totalCount);
    });
  });

  describe('walks', () => {
    it('walks providers with first: 7 to the same list as one big page', async () => {
      const all = await providersPage(100, null);
      const { seen, pages, totals } = await walk((after) => providersPage(7, after), 7);
      expect(seen).toEqual(all.nodes.map((n) => n.id));
      expect(pages).toBe(Math.ceil(all.totalCount / 7));
      expect(new Set(totals)).toEqual(new Set([all.totalCount]));
    });

    it('sees every provider that existed at the start exactly once while providers are added between pages', async () => {
      const initial = (await providersPage(100, null)).nodes;
      expect(initial.length).toBeGreaterThan(21);
      const midName = initial[Math.floor(initial.length / 2)].name!;
      const added: string[] = [];
      const { seen } = await walk(
        (after) => providersPage(7, after),
        7,
        async (pageNo) => {
          // Before everything, after everything, and with the very name of a row already passed
          // (same sort key: the tie is broken by ID, which is random).
          added.push(await createProvider(`AAA Inserted Before ${pageNo}`));
          added.push(await createProvider(`zzz Inserted After ${pageNo}`));
          added.push(
            (
              await server.ok<any>(
                'mutation($input: CreateProviderInput!) { createProvider(input: $input) { id } }',
                { input: { name: midName, kind: 'OTHER' } },
                admin,
              )
            ).createProvider.id,
          );
        },
      );
      expect(added.length).toBeGreaterThan(6);
      const counts = new Map<string, number>();
      for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
      expect([...counts.entries()].filter(([, n]) => n > 1)).toEqual([]);
      expect(initial.filter((p) => counts.get(p.id) !== 1).map((p) => p.name)).toEqual([]);
      // Rows added after the walk's position are seen, rows added before it are not.
      for (const id of added.filter((_, i) => i % 3 === 1)) expect(counts.get(id)).toBe(1);
      for (const id of added.filter((_, i) => i % 3 === 0)) expect(counts.get(id)).toBeUndefined();
    });

    it('walks a filtered list and keeps totalCount to the filter', async () => {
      const municipalities = reference.providers.filter((p) => p.kind === 'MUNICIPALITY');
      const { seen, totals } = await walk((after) => providersPage(3, after, { kind: ['MUNICIPALITY'] }), 3);
      expect(seen).toHaveLength(municipalities.length);
      expect(new Set(seen).size).toBe(municipalities.length);
      expect(new Set(totals)).toEqual(new Set([municipalities.length]));
    });

    it("walks datasets and a provider's supplies the same way", async () => {
      const datasets = (after: string | null, first = 4) =>
        server
          .ok<{ datasets: Page }>(
            `query($first: Int, $after: String) { datasets(first: $first, after: $after) { ${CONNECTION} } }`,
            { first, after },
            analyst,
          )
          .then((d) => d.datasets);
      const allDatasets = await datasets(null, 100);
      expect(allDatasets.totalCount).toBe(reference.datasets.length);
      expect((await walk((after) => datasets(after), 4)).seen).toEqual(allDatasets.nodes.map((n) => n.id));

      const bdSupplies = (after: string | null, first = 2) =>
        server
          .ok<{ provider: { supplies: Page } }>(
            `query($id: ID!, $first: Int, $after: String) {
               provider(id: $id) { supplies(first: $first, after: $after) { ${CONNECTION} } } }`,
            { id: ids.BD, first, after },
            analyst,
          )
          .then((d) => d.provider.supplies);
      const allSupplies = await bdSupplies(null, 100);
      expect(allSupplies.totalCount).toBe(reference.needs.filter((n) => n.supplier === 'BD').length);
      expect(allSupplies.totalCount).toBeGreaterThan(4);
      const supplyWalk = await walk((after) => bdSupplies(after), 2);
      expect(supplyWalk.seen).toEqual(allSupplies.nodes.map((n) => n.id));
      expect(new Set(supplyWalk.totals)).toEqual(new Set([allSupplies.totalCount]));
    });

    it('sees every data need once while needs are declared between pages', async () => {
      const needs = (after: string | null, first = 5) =>
        server
          .ok<{ dataNeeds: Page }>(
            `query($first: Int, $after: String) { dataNeeds(first: $first, after: $after) { ${CONNECTION} } }`,
            { first, after },
            analyst,
          )
          .then((d) => d.dataNeeds);
      const initial = (await needs(null, 100)).nodes.map((n) => n.id);
      expect(initial.length).toBeGreaterThanOrEqual(reference.needs.length);
      const declared: string[] = [];
      const { seen } = await walk(
        (after) => needs(after),
        5,
        async (pageNo) => {
          const res = await server.ok<any>(
            'mutation($input: DeclareDataNeedInput!) { declareDataNeed(input: $input) { id } }',
            {
              input: {
                supplierId: ids.RDW,
                dataElements: ['kenteken'],
                purpose: `Declared during walk ${pageNo}`,
              },
            },
            uwvSteward,
          );
          declared.push(res.declareDataNeed.id);
        },
      );
      expect(new Set(seen).size).toBe(seen.length);
      expect(initial.filter((id) => !seen.includes(id))).toEqual([]);
      // Needs are listed oldest first: each one declared during the walk comes after the position.
      expect(declared.filter((id) => !seen.includes(id))).toEqual([]);
    });

    it("walks a blocker's affected needs oldest need first, for needs linked at any time", async () => {
      const blocker = (
        await server.ok<{ blocker: { id: string } }>('{ blocker(key: "KNP-1") { id } }', {}, admin)
      ).blocker;
      const allNeeds = (
        await server.ok<{ dataNeeds: Page }>(`{ dataNeeds(first: 100) { ${CONNECTION} } }`, {}, admin)
      ).dataNeeds.nodes.map((n) => n.id);
      for (const needId of allNeeds.slice(0, 9)) {
        await server.gql(
          'mutation($input: BlockerNeedInput!) { linkAffectedNeed(input: $input) { id } }',
          { input: { blockerId: blocker.id, needId } },
          admin,
        );
      }
      const needsPage = (after: string | null) =>
        server
          .ok<{ blocker: { affectedNeeds: Page } }>(
            `query($key: String!, $after: String) {
               blocker(key: $key) { affectedNeeds(first: 2, after: $after) { ${CONNECTION} } } }`,
            { key: 'KNP-1', after },
            admin,
          )
          .then((d) => d.blocker.affectedNeeds);
      // The order the API promises, read from the needs themselves.
      const expected = async () =>
        (
          await server.db.query<{ id: string }>(
            `SELECT n.id FROM blocker_need bn JOIN data_need n ON n.id = bn.need_id
             WHERE bn.blocker_id = $1 ORDER BY n.created_at, n.id`,
            [localId(blocker.id)],
          )
        ).rows.map((r) => globalId('DataNeed', r.id));
      const before = await expected();
      expect(before.length).toBeGreaterThanOrEqual(5);
      const first = await walk(needsPage, 2);
      expect(first.seen).toEqual(before);
      expect(new Set(first.totals)).toEqual(new Set([before.length]));

      // A need whose recorded creation moves (a correction, an import) moves in the list too.
      const last = before.at(-1)!;
      await server.db.query(`UPDATE data_need SET created_at = '2001-01-01T00:00:00Z' WHERE id = $1`, [
        localId(last),
      ]);
      const after = await expected();
      expect(after[0]).toBe(last);
      expect((await walk(needsPage, 2)).seen).toEqual(after);

      for (const forged of [
        'garbage',
        encode({ k: 'yesterday', id: UNKNOWN_UUID, asOf: new Date().toISOString(), sig: 'need-created' }),
        encode({
          k: '2026-01-01 10:00:00+00',
          id: 'not-a-uuid',
          asOf: new Date().toISOString(),
          sig: 'need-created',
        }),
      ]) {
        const res = await server.gql(
          'query($after: String) { blocker(key: "KNP-1") { affectedNeeds(first: 2, after: $after) { totalCount } } }',
          { after: forged },
          admin,
        );
        expect({ code: codeOf(res), fields: fieldsOf(res) }).toEqual({
          code: 'BAD_USER_INPUT',
          fields: ['after'],
        });
      }
    });

    it('answers an empty connection for a list with no rows', async () => {
      const none = await providersPage(10, null, { search: 'no provider is called like this' });
      expect(none).toMatchObject({
        totalCount: 0,
        edges: [],
        nodes: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      });
      const unknownHolder = await server.ok<{ datasets: Page }>(
        `query($h: ID) { datasets(holderId: $h) { ${CONNECTION} } }`,
        { h: globalId('Provider', UNKNOWN_UUID) },
        analyst,
      );
      expect(unknownHolder.datasets.totalCount).toBe(0);
      expect(unknownHolder.datasets.pageInfo.endCursor).toBeNull();
    });
  });
});
