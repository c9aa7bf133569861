/**
 * Data needs over HTTP against the built server on the demo data: the dataNeeds query and its filters,
 * the links to requester, supplier and dataset, declaring and updating needs with their permissions,
 * validation and audit events, and the derived state: BLOCKED exactly while an open blocker affects
 * the need.
 */
import {
  auditCount,
  auditOf,
  expectRefused,
  fieldsOf,
  globalId,
  snapshot,
  UNKNOWN_UUID,
} from './support/checks';
import { needIds, oinOf, providerIds, reference } from './support/demo';
import { codeOf, TestServer, token } from './support/server';

const NEED = `id purpose service legalBasis annualCases dataElements state createdAt updatedAt
  requester { id name } supplier { id name } dataset { id code holder { id } }`;

const DECLARE = `mutation($input: DeclareDataNeedInput!) { declareDataNeed(input: $input) { ${NEED} } }`;
const UPDATE = `mutation($input: UpdateDataNeedInput!) { updateDataNeed(input: $input) { ${NEED} } }`;
const REPORT = `mutation($input: ReportBlockerInput!) {
  reportBlocker(input: $input) { blocker { id key version status open } } }`;
const TRANSITION = `mutation($input: TransitionBlockerInput!) {
  transitionBlocker(input: $input) { id version status open } }`;
const STATE = `query($id: ID!) { node(id: $id) { ... on DataNeed { state blockers(open: true) { id } } } }`;

const OPEN = new Set(['REPORTED', 'TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'ESCALATED']);
/** Demo needs that an open demo blocker affects: BLOCKED by the domain rule. */
const blockedNeedKeys = new Set(
  reference.blockers.filter((b) => OPEN.has(b.status)).flatMap((b) => b.affectedNeeds),
);
const providerName = (key: string): string => reference.providers.find((p) => p.key === key)!.name;
const datasetCode = (key: string | null): string | null =>
  key === null ? null : reference.datasets.find((d) => d.key === key)!.code;

describe('data needs', () => {
  let server: TestServer;
  let ids: Record<string, string>;
  let needs: Record<string, string>;
  /** Dataset IDs by reference key (POLIS, BRK, ...). */
  const datasets: Record<string, string> = {};

  const admin = token('ADMIN', { sub: 'needs-admin' });
  const steering = token('STEERING', { sub: 'needs-steering' });
  const analyst = token('ANALYST', { sub: 'needs-analyst' });
  const uwvSteward = token('STEWARD', { sub: 'needs-uwv-steward', org: oinOf('UWV') });
  const svbSteward = token('STEWARD', { sub: 'needs-svb-steward', org: oinOf('SVB') });
  const kadasterSteward = token('STEWARD', { sub: 'needs-kadaster-steward', org: oinOf('KADASTER') });

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    ids = await providerIds(server, analyst);
    needs = await needIds(server, analyst);
    const data = await server.ok<any>(
      '{ datasets(first: 100) { nodes { id code holder { name } } } }',
      {},
      analyst,
    );
    for (const d of reference.datasets) {
      datasets[d.key] = data.datasets.nodes.find(
        (n: any) => n.code === d.code && n.holder.name === providerName(d.holder),
      ).id;
    }
  });
  afterAll(async () => server?.stop());

  const list = async (filter: Record<string, unknown>) =>
    (
      await server.ok<any>(
        `query($filter: DataNeedFilter) { dataNeeds(first: 100, filter: $filter) { totalCount nodes { ${NEED} } } }`,
        { filter },
        analyst,
      )
    ).dataNeeds;
  const idsOf = (keys: string[]): string[] => keys.map((k) => needs[k]).sort();
  const keysWhere = (p: (n: (typeof reference.needs)[number]) => boolean): string[] =>
    reference.needs.filter(p).map((n) => n.key);

  const stateOf = async (needId: string) => (await server.ok<any>(STATE, { id: needId }, admin)).node;

  /** A need of UWV (declared by its steward) towards `supplier`. */
  const declareForUwv = async (supplier: string, extra: Record<string, unknown> = {}) =>
    (
      await server.ok<any>(
        DECLARE,
        {
          input: {
            supplierId: ids[supplier],
            dataElements: ['element'],
            purpose: `A purpose towards ${supplier}`,
            ...extra,
          },
        },
        uwvSteward,
      )
    ).declareDataNeed;

  const report = async (needIdList: string[], bearer: string, title: string) =>
    (
      await server.ok<any>(
        REPORT,
        {
          input: {
            title,
            description: 'Something stops the exchange',
            type: 'NO_INTERFACE',
            severity: 'MEDIUM',
            affectedNeedIds: needIdList,
          },
        },
        bearer,
      )
    ).reportBlocker.blocker;

  const transition = async (blocker: { id: string; version: number }, to: string, reason?: string) =>
    (
      await server.ok<any>(
        TRANSITION,
        { input: { id: blocker.id, expectedVersion: blocker.version, to, reason } },
        steering,
      )
    ).transitionBlocker;

  // ---------------------------------------------------------------- queries

  describe('dataNeeds query', () => {
    it('lists every demo need with its requester, supplier, dataset and derived state', async () => {
      const all = await list({});
      expect(all.totalCount).toBe(reference.needs.length);
      expect(all.nodes.map((n: any) => n.id).sort()).toEqual(Object.values(needs).sort());
      for (const ref of reference.needs) {
        const node = all.nodes.find((n: any) => n.id === needs[ref.key]);
        expect({
          key: ref.key,
          requester: node.requester.name,
          supplier: node.supplier.name,
          dataset: node.dataset?.code ?? null,
          purpose: node.purpose,
          service: node.service,
          legalBasis: node.legalBasis,
          annualCases: node.annualCases,
          dataElements: node.dataElements,
          state: node.state,
        }).toEqual({
          key: ref.key,
          requester: providerName(ref.requester),
          supplier: providerName(ref.supplier),
          dataset: datasetCode(ref.dataset),
          purpose: ref.purpose,
          service: ref.service,
          legalBasis: ref.legalBasis,
          annualCases: ref.annualCases,
          dataElements: ref.dataElements,
          state: blockedNeedKeys.has(ref.key) ? 'BLOCKED' : 'REQUESTED',
        });
        // A need's dataset is held by its supplier.
        if (node.dataset) expect(node.dataset.holder.id).toBe(node.supplier.id);
      }
    });

    it('filters by requester, supplier, dataset and state, alone and combined', async () => {
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ requesterId: ids.SVB }, keysWhere((n) => n.requester === 'SVB')],
        [{ supplierId: ids.BD }, keysWhere((n) => n.supplier === 'BD')],
        [{ datasetId: datasets.POLIS }, keysWhere((n) => n.dataset === 'POLIS')],
        [{ state: ['BLOCKED'] }, keysWhere((n) => blockedNeedKeys.has(n.key))],
        [{ state: ['REQUESTED'] }, keysWhere((n) => !blockedNeedKeys.has(n.key))],
        [{ state: ['REQUESTED', 'BLOCKED'] }, keysWhere(() => true)],
        [{ state: ['FLOWING', 'WITHDRAWN'] }, []],
        [
          { requesterId: ids.SVB, supplierId: ids.UWV },
          keysWhere((n) => n.requester === 'SVB' && n.supplier === 'UWV'),
        ],
        [
          { requesterId: ids.SVB, state: ['REQUESTED'] },
          keysWhere((n) => n.requester === 'SVB' && !blockedNeedKeys.has(n.key)),
        ],
        [
          { supplierId: ids.BD, datasetId: datasets.BRI },
          keysWhere((n) => n.supplier === 'BD' && n.dataset === 'BRI'),
        ],
        // a dataset that another supplier holds: nothing
        [{ supplierId: ids.UWV, datasetId: datasets.BRI }, []],
        // a provider without needs
        [{ requesterId: ids.LOGIUS }, []],
        [{ requesterId: globalId('Provider', UNKNOWN_UUID) }, []],
      ];
      for (const [filter, keys] of cases) {
        const result = await list(filter);
        expect({ filter, ids: result.nodes.map((n: any) => n.id).sort(), total: result.totalCount }).toEqual({
          filter,
          ids: idsOf(keys),
          total: keys.length,
        });
      }
      // The interesting cases are not empty.
      expect(keysWhere((n) => n.requester === 'SVB' && !blockedNeedKeys.has(n.key)).length).toBeGreaterThan(
        0,
      );
      expect(keysWhere((n) => n.supplier === 'BD' && n.dataset === 'BRI').length).toBeGreaterThan(1);
    });

    it('refuses malformed and wrongly typed IDs in the filter, naming the field', async () => {
      const q = 'query($filter: DataNeedFilter) { dataNeeds(filter: $filter) { totalCount } }';
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ requesterId: 'garbage' }, 'filter.requesterId'],
        [{ supplierId: 'garbage' }, 'filter.supplierId'],
        [{ datasetId: 'garbage' }, 'filter.datasetId'],
        [{ requesterId: globalId('Dataset', UNKNOWN_UUID) }, 'filter.requesterId'],
        [{ supplierId: globalId('DataNeed', UNKNOWN_UUID) }, 'filter.supplierId'],
        [{ datasetId: globalId('Provider', UNKNOWN_UUID) }, 'filter.datasetId'],
      ];
      for (const [filter, field] of cases) {
        const res = await server.gql(q, { filter }, analyst);
        expect({ filter, code: codeOf(res), fields: fieldsOf(res) }).toEqual({
          filter,
          code: 'BAD_USER_INPUT',
          fields: [field],
        });
      }
    });

    it('finds a need through node(id), with a null dataset where none is named', async () => {
      const n8 = reference.needs.find((n) => n.key === 'N8')!;
      expect(n8.dataset).toBeNull();
      const data = await server.ok<any>(
        `query($a: ID!, $b: ID!) {
           a: node(id: $a) { __typename id ... on DataNeed { ${NEED} } }
           b: node(id: $b) { __typename ... on DataNeed { dataset { code } requester { id } supplier { id } } }
         }`,
        { a: needs.N1, b: needs.N8 },
        analyst,
      );
      expect(data.a).toMatchObject({
        __typename: 'DataNeed',
        id: needs.N1,
        requester: { id: ids.SVB },
        supplier: { id: ids.UWV },
        dataset: { id: datasets.POLIS, code: 'POLIS' },
        state: 'BLOCKED',
      });
      expect(data.b).toEqual({
        __typename: 'DataNeed',
        dataset: null,
        requester: { id: ids[n8.requester] },
        supplier: { id: ids[n8.supplier] },
      });
      const unknown = await server.gql(
        'query($id: ID!) { node(id: $id) { id } }',
        {
          id: globalId('DataNeed', UNKNOWN_UUID),
        },
        analyst,
      );
      expect(unknown.data).toEqual({ node: null });
    });

    it('needs a token', async () => {
      expect(codeOf(await server.gql('{ dataNeeds { totalCount } }'))).toBe('UNAUTHENTICATED');
    });
  });

  // ---------------------------------------------------------------- declareDataNeed

  describe('declareDataNeed', () => {
    it("lets a steward declare their own provider's need (the default requester) and records it", async () => {
      const before = await auditCount(server);
      const need = await declareForUwv('KADASTER', {
        datasetId: datasets.BRK,
        dataElements: ['eigenaar', 'perceel'],
        purpose: 'Check property ownership for benefit claims',
        service: 'WW-uitkering',
        legalBasis: 'Wet SUWI art. 54',
        annualCases: 1200,
      });
      expect(need).toMatchObject({
        requester: { id: ids.UWV },
        supplier: { id: ids.KADASTER },
        dataset: { id: datasets.BRK, code: 'BRK' },
        dataElements: ['eigenaar', 'perceel'],
        purpose: 'Check property ownership for benefit claims',
        service: 'WW-uitkering',
        legalBasis: 'Wet SUWI art. 54',
        annualCases: 1200,
        state: 'REQUESTED',
      });
      expect(await auditCount(server)).toBe(before + 1);
      const events = await auditOf(server, need.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'need.declared',
        entity_type: 'DataNeed',
        subject: 'needs-uwv-steward',
      });
      expect(events[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'requester', from: null, to: ids.UWV },
          { field: 'supplier', from: null, to: ids.KADASTER },
          { field: 'dataset', from: null, to: datasets.BRK },
          { field: 'dataElements', from: null, to: ['eigenaar', 'perceel'] },
          { field: 'purpose', from: null, to: 'Check property ownership for benefit claims' },
          { field: 'service', from: null, to: 'WW-uitkering' },
          { field: 'legalBasis', from: null, to: 'Wet SUWI art. 54' },
          { field: 'annualCases', from: null, to: 1200 },
          { field: 'state', from: null, to: 'REQUESTED' },
        ]),
      );
      expect(events[0].changes).toHaveLength(9);

      // It shows up wherever it belongs.
      const read = await server.ok<any>(
        `query($uwv: ID!, $kad: ID!, $brk: ID) {
           uwv: provider(id: $uwv) { needs { nodes { id } } supplies { nodes { id } } }
           kad: provider(id: $kad) { supplies { nodes { id } } }
           byDataset: dataNeeds(filter: { datasetId: $brk }) { nodes { id } }
         }`,
        { uwv: ids.UWV, kad: ids.KADASTER, brk: datasets.BRK },
        analyst,
      );
      expect(read.uwv.needs.nodes.map((n: any) => n.id)).toContain(need.id);
      expect(read.uwv.supplies.nodes.map((n: any) => n.id)).not.toContain(need.id);
      expect(read.kad.supplies.nodes.map((n: any) => n.id)).toContain(need.id);
      expect(read.byDataset.nodes.map((n: any) => n.id)).toEqual([need.id]);
    });

    it('lets a steward name their own provider as requester, without a dataset', async () => {
      const need = await declareForUwv('RDW', { requesterId: ids.UWV });
      expect(need).toMatchObject({ requester: { id: ids.UWV }, supplier: { id: ids.RDW }, dataset: null });
      const [event] = await auditOf(server, need.id);
      expect(event.changes.map((c) => c.field)).not.toContain('dataset');
    });

    it("refuses a steward declaring another provider's need", async () => {
      await expectRefused(
        server,
        DECLARE,
        {
          input: {
            requesterId: ids.SVB,
            supplierId: ids.RDW,
            dataElements: ['x'],
            purpose: 'Not my need at all',
          },
        },
        uwvSteward,
        'FORBIDDEN',
      );
    });

    it.each([
      ['STEERING', 'needs-steering'],
      ['ADMIN', 'needs-admin'],
    ] as const)('lets %s declare for any requester', async (role, subject) => {
      const bearer = role === 'STEERING' ? steering : admin;
      const need = (
        await server.ok<any>(
          DECLARE,
          {
            input: {
              requesterId: ids.CBS,
              supplierId: ids.RVIG,
              datasetId: datasets.BRP,
              dataElements: ['adres'],
              purpose: `Sampling frame, declared by ${role}`,
            },
          },
          bearer,
        )
      ).declareDataNeed;
      expect(need).toMatchObject({
        requester: { id: ids.CBS },
        supplier: { id: ids.RVIG },
        state: 'REQUESTED',
      });
      const events = await auditOf(server, need.id);
      expect(events.map((e) => [e.action, e.subject])).toEqual([['need.declared', subject]]);
    });

    it('asks STEERING and ADMIN for a requester: they have no provider of their own', async () => {
      for (const bearer of [steering, admin]) {
        await expectRefused(
          server,
          DECLARE,
          { input: { supplierId: ids.RDW, dataElements: ['x'], purpose: 'Whose need is this?' } },
          bearer,
          'BAD_USER_INPUT',
          'input.requesterId',
        );
      }
    });

    it('refuses an ANALYST, with or without a requester', async () => {
      await expectRefused(
        server,
        DECLARE,
        {
          input: {
            requesterId: ids.UWV,
            supplierId: ids.RDW,
            dataElements: ['x'],
            purpose: 'Analysts only read',
          },
        },
        analyst,
        'FORBIDDEN',
      );
      await expectRefused(
        server,
        DECLARE,
        { input: { supplierId: ids.RDW, dataElements: ['x'], purpose: 'Analysts only read' } },
        analyst,
        'FORBIDDEN',
      );
    });

    it.each([
      ['a negative annualCases', { annualCases: -1 }, 'input.annualCases'],
      ['an annualCases above 100 million', { annualCases: 100_000_001 }, 'input.annualCases'],
      ['a purpose of 4 characters', { purpose: 'abcd' }, 'input.purpose'],
      ['a purpose of 2001 characters', { purpose: 'p'.repeat(2001) }, 'input.purpose'],
      ['no data elements', { dataElements: [] }, 'input.dataElements'],
      ['an empty data element', { dataElements: ['ok', ''] }, 'input.dataElements'],
      ['a service of 301 characters', { service: 's'.repeat(301) }, 'input.service'],
      ['a malformed supplierId', { supplierId: 'nope' }, 'input.supplierId'],
      ['a supplierId of a dataset', { supplierId: 'DATASET:BRK' }, 'input.supplierId'],
      ['an unknown supplierId', { supplierId: globalId('Provider', UNKNOWN_UUID) }, 'input.supplierId'],
      ['the requester as its own supplier', { supplierId: 'PROVIDER:UWV' }, 'input.supplierId'],
      ['a dataset the supplier does not hold', { datasetId: 'DATASET:BRP' }, 'input.datasetId'],
      ['a datasetId of a provider', { datasetId: 'PROVIDER:KADASTER' }, 'input.datasetId'],
      ['an unknown datasetId', { datasetId: globalId('Dataset', UNKNOWN_UUID) }, 'input.datasetId'],
      ['a malformed datasetId', { datasetId: '***' }, 'input.datasetId'],
      ['a malformed requesterId', { requesterId: 'nope' }, 'input.requesterId'],
      ['a requesterId of a need', { requesterId: 'NEED:N1' }, 'input.requesterId'],
    ])('refuses %s with BAD_USER_INPUT', async (_label, input, field) => {
      // Placeholders are resolved here, once the demo IDs are known.
      const resolved = Object.fromEntries(
        Object.entries(input).map(([k, v]) => {
          if (typeof v !== 'string') return [k, v];
          const [kind, key] = v.split(':');
          if (kind === 'DATASET') return [k, datasets[key]];
          if (kind === 'PROVIDER') return [k, ids[key]];
          if (kind === 'NEED') return [k, needs[key]];
          return [k, v];
        }),
      );
      await expectRefused(
        server,
        DECLARE,
        {
          input: {
            supplierId: ids.KADASTER,
            datasetId: datasets.BRK,
            dataElements: ['perceel'],
            purpose: 'A valid purpose',
            ...resolved,
          },
        },
        uwvSteward,
        'BAD_USER_INPUT',
        field,
      );
    });

    it('refuses an unknown requester for STEERING', async () => {
      await expectRefused(
        server,
        DECLARE,
        {
          input: {
            requesterId: globalId('Provider', UNKNOWN_UUID),
            supplierId: ids.RDW,
            dataElements: ['x'],
            purpose: 'Requester does not exist',
          },
        },
        steering,
        'BAD_USER_INPUT',
        'input.requesterId',
      );
    });

    it('names every offending field at once', async () => {
      const res = await expectRefused(
        server,
        DECLARE,
        { input: { supplierId: ids.RDW, dataElements: [], purpose: 'abc', annualCases: -5 } },
        uwvSteward,
        'BAD_USER_INPUT',
      );
      expect(new Set(fieldsOf(res))).toEqual(
        new Set(['input.dataElements', 'input.purpose', 'input.annualCases']),
      );
    });
  });

  // ---------------------------------------------------------------- updateDataNeed

  describe('updateDataNeed', () => {
    it('lets the steward of the requester change fields; one need.updated event names exactly them', async () => {
      const need = await declareForUwv('DUO', { annualCases: 10, service: 'Oud', legalBasis: 'Wet A' });
      const before = await auditCount(server);
      const updated = (
        await server.ok<any>(
          UPDATE,
          { input: { id: need.id, purpose: 'A sharper purpose', annualCases: 25, service: null } },
          uwvSteward,
        )
      ).updateDataNeed;
      expect(updated).toMatchObject({
        id: need.id,
        purpose: 'A sharper purpose',
        annualCases: 25,
        service: null,
        legalBasis: 'Wet A',
        dataElements: ['element'],
        state: 'REQUESTED',
      });
      expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(need.updatedAt));
      expect(await auditCount(server)).toBe(before + 1);
      const events = await auditOf(server, need.id);
      expect(events.map((e) => e.action)).toEqual(['need.declared', 'need.updated']);
      expect(events[1].subject).toBe('needs-uwv-steward');
      expect(events[1].changes).toEqual([
        { field: 'purpose', from: 'A purpose towards DUO', to: 'A sharper purpose' },
        { field: 'service', from: 'Oud', to: null },
        { field: 'annualCases', from: 10, to: 25 },
      ]);

      // The same values again change nothing and record nothing.
      const snap = await snapshot(server);
      await server.ok(
        UPDATE,
        { input: { id: need.id, purpose: 'A sharper purpose', annualCases: 25 } },
        uwvSteward,
      );
      expect(await snapshot(server)).toEqual(snap);
    });

    it('lets STEERING and ADMIN update any need', async () => {
      const need = await declareForUwv('CBS');
      const a = (
        await server.ok<any>(UPDATE, { input: { id: need.id, legalBasis: 'Wet CBS art. 33' } }, steering)
      ).updateDataNeed;
      expect(a.legalBasis).toBe('Wet CBS art. 33');
      const b = (await server.ok<any>(UPDATE, { input: { id: need.id, dataElements: ['a', 'b'] } }, admin))
        .updateDataNeed;
      expect(b.dataElements).toEqual(['a', 'b']);
      const events = await auditOf(server, need.id);
      expect(events.slice(1).map((e) => [e.action, e.subject, e.changes])).toEqual([
        ['need.updated', 'needs-steering', [{ field: 'legalBasis', from: null, to: 'Wet CBS art. 33' }]],
        ['need.updated', 'needs-admin', [{ field: 'dataElements', from: ['element'], to: ['a', 'b'] }]],
      ]);
    });

    it('refuses the steward of the supplier, of another provider, and an ANALYST', async () => {
      const need = await declareForUwv('KADASTER');
      for (const bearer of [kadasterSteward, svbSteward, analyst]) {
        await expectRefused(
          server,
          UPDATE,
          { input: { id: need.id, purpose: 'Hijacked purpose' } },
          bearer,
          'FORBIDDEN',
        );
      }
      // A demo need of SVB: the UWV steward may not touch it either, not even as its supplier.
      await expectRefused(
        server,
        UPDATE,
        { input: { id: needs.N1, annualCases: 1 } },
        uwvSteward,
        'FORBIDDEN',
      );
    });

    it('refuses bad values and IDs, naming the field', async () => {
      const need = await declareForUwv('IND');
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ id: need.id, annualCases: -3 }, 'BAD_USER_INPUT', 'input.annualCases'],
        [{ id: need.id, purpose: 'shrt' }, 'BAD_USER_INPUT', 'input.purpose'],
        [{ id: need.id, dataElements: [] }, 'BAD_USER_INPUT', 'input.dataElements'],
        [{ id: 'garbage', purpose: 'A fine purpose' }, 'BAD_USER_INPUT', 'input.id'],
        [{ id: ids.UWV, purpose: 'A fine purpose' }, 'BAD_USER_INPUT', 'input.id'],
      ];
      for (const [input, code, field] of cases) {
        await expectRefused(server, UPDATE, { input }, uwvSteward, code, field);
      }
      await expectRefused(
        server,
        UPDATE,
        { input: { id: globalId('DataNeed', UNKNOWN_UUID), purpose: 'A fine purpose' } },
        admin,
        'NOT_FOUND',
      );
    });

    it('lets a client set REQUESTED, FLOWING and WITHDRAWN, but never BLOCKED', async () => {
      const need = await declareForUwv('CAK');
      await expectRefused(
        server,
        UPDATE,
        { input: { id: need.id, state: 'BLOCKED' } },
        uwvSteward,
        'BAD_USER_INPUT',
        'input.state',
      );
      await expectRefused(
        server,
        UPDATE,
        { input: { id: need.id, state: 'BLOCKED' } },
        admin,
        'BAD_USER_INPUT',
        'input.state',
      );

      let from = 'REQUESTED';
      for (const to of ['FLOWING', 'WITHDRAWN', 'REQUESTED', 'FLOWING']) {
        const res = await server.ok<any>(UPDATE, { input: { id: need.id, state: to } }, uwvSteward);
        expect(res.updateDataNeed.state).toBe(to);
        expect((await auditOf(server, need.id)).at(-1)).toMatchObject({
          action: 'need.updated',
          changes: [{ field: 'state', from, to }],
        });
        from = to;
      }
      // FLOWING needs are found by state.
      const flowing = await list({ state: ['FLOWING'], requesterId: ids.UWV });
      expect(flowing.nodes.map((n: any) => n.id)).toContain(need.id);
    });
  });

  // ---------------------------------------------------------------- derived state

  describe('BLOCKED while an open blocker affects the need', () => {
    it('follows the blockers through report, close and reopen, and refuses state changes meanwhile', async () => {
      const need = await declareForUwv('SVB', {
        datasetId: datasets.AOW,
        purpose: 'Blocked lifecycle purpose',
      });
      expect(need.state).toBe('REQUESTED');

      // Reported by the requester's steward: BLOCKED.
      let first = await report([need.id], uwvSteward, 'AOW data is not offered over an interface');
      expect(first.status).toBe('REPORTED');
      expect(await stateOf(need.id)).toEqual({ state: 'BLOCKED', blockers: [{ id: first.id }] });
      expect(
        (await list({ state: ['BLOCKED'], requesterId: ids.UWV })).nodes.map((n: any) => n.id),
      ).toContain(need.id);
      const flow = await server.ok<any>(
        `query($id: ID!) { provider(id: $id) { blocked: supplies(state: [BLOCKED]) { nodes { id } } } }`,
        { id: ids.SVB },
        analyst,
      );
      expect(flow.provider.blocked.nodes.map((n: any) => n.id)).toContain(need.id);

      // No client may move it out of BLOCKED, not even an ADMIN.
      for (const state of ['REQUESTED', 'FLOWING', 'WITHDRAWN', 'BLOCKED']) {
        await expectRefused(
          server,
          UPDATE,
          { input: { id: need.id, state } },
          uwvSteward,
          'BAD_USER_INPUT',
          'input.state',
        );
      }
      await expectRefused(
        server,
        UPDATE,
        { input: { id: need.id, state: 'FLOWING' } },
        admin,
        'BAD_USER_INPUT',
        'input.state',
      );
      // Other fields may still change; the state stays BLOCKED. The blocker has no impact figure, so
      // the need's annualCases feed its priority ('people' factor), which follows at once.
      const people = async () =>
        (
          await server.ok<any>(
            'query($id: ID!) { blocker(id: $id) { priority { factors { name value } } } }',
            { id: first.id },
            steering,
          )
        ).blocker.priority.factors.find((f: any) => f.name === 'people').value;
      expect(await people()).toBe(0);
      const events = await auditCount(server);
      const edited = await server.ok<any>(UPDATE, { input: { id: need.id, annualCases: 700 } }, uwvSteward);
      expect(edited.updateDataNeed).toMatchObject({ annualCases: 700, state: 'BLOCKED' });
      expect(await auditCount(server)).toBe(events + 1);
      expect(await people()).toBeCloseTo(Math.log10(701) / 6, 3);

      // A second blocker, reported by the supplier's steward.
      const second = await report([need.id], svbSteward, 'AOW start dates are not final in time');
      expect((await stateOf(need.id)).blockers.map((b: any) => b.id).sort()).toEqual(
        [first.id, second.id].sort(),
      );

      // Triage keeps it open; rejecting the first leaves the second: still BLOCKED.
      first = await transition(first, 'TRIAGED');
      expect((await stateOf(need.id)).state).toBe('BLOCKED');
      first = await transition(first, 'REJECTED', 'Out of scope for the network');
      expect(first).toMatchObject({ status: 'REJECTED', open: false });
      expect(await stateOf(need.id)).toEqual({ state: 'BLOCKED', blockers: [{ id: second.id }] });

      // Closing the last open blocker: back to REQUESTED, and the steward may set it again.
      await transition(second, 'REJECTED', 'Not a blocker: the dates are final on time');
      expect(await stateOf(need.id)).toEqual({ state: 'REQUESTED', blockers: [] });
      expect(
        (await list({ state: ['BLOCKED'], requesterId: ids.UWV })).nodes.map((n: any) => n.id),
      ).not.toContain(need.id);
      const flowing = await server.ok<any>(UPDATE, { input: { id: need.id, state: 'FLOWING' } }, uwvSteward);
      expect(flowing.updateDataNeed.state).toBe('FLOWING');

      // Reopening a closed blocker blocks the need again, also a FLOWING one ...
      first = await transition(first, 'TRIAGED', 'New facts: it is in scope after all');
      expect(first.open).toBe(true);
      expect(await stateOf(need.id)).toEqual({ state: 'BLOCKED', blockers: [{ id: first.id }] });
      // ... and closing it again returns the need to REQUESTED.
      await transition(first, 'REJECTED', 'Settled by guidance after all');
      expect((await stateOf(need.id)).state).toBe('REQUESTED');

      // The state changes that blockers caused are derived: no need.updated event for them.
      const actions = (await auditOf(server, need.id)).map((e) => e.action);
      expect(actions).toEqual(['need.declared', 'need.updated', 'need.updated']);
    });

    it('blocks every affected need, and a withdrawn need cannot be blocked', async () => {
      const a = await declareForUwv('ZIN', { purpose: 'First need on one blocker' });
      const b = await declareForUwv('ZIN', { purpose: 'Second need on one blocker' });
      const withdrawn = await declareForUwv('ZIN', { purpose: 'Withdrawn need' });
      await server.ok(UPDATE, { input: { id: withdrawn.id, state: 'WITHDRAWN' } }, uwvSteward);

      const blocker = await report([a.id, b.id], uwvSteward, 'ZIN offers no interface for either need');
      expect((await stateOf(a.id)).state).toBe('BLOCKED');
      expect((await stateOf(b.id)).state).toBe('BLOCKED');
      expect((await stateOf(withdrawn.id)).state).toBe('WITHDRAWN');

      await expectRefused(
        server,
        REPORT,
        {
          input: {
            title: 'Blocking a withdrawn need',
            description: 'Should not be possible',
            type: 'NO_INTERFACE',
            severity: 'LOW',
            affectedNeedIds: [withdrawn.id],
          },
        },
        uwvSteward,
        'BAD_USER_INPUT',
        'input.affectedNeedIds',
      );

      await transition(blocker, 'WITHDRAWN', 'Reported by mistake');
      expect((await stateOf(a.id)).state).toBe('REQUESTED');
      expect((await stateOf(b.id)).state).toBe('REQUESTED');
    });

    it('keeps the stored state equal to the rule for every need', async () => {
      // Whatever happened above: BLOCKED exactly where an open blocker affects the need.
      const { rows } = await server.db.query<{ id: string; state: string; open: boolean }>(
        `SELECT n.id, n.state::text AS state,
                EXISTS (SELECT 1 FROM blocker_need bn JOIN blocker b ON b.id = bn.blocker_id
                         WHERE bn.need_id = n.id
                           AND b.status IN ('REPORTED','TRIAGED','PRIORITISED','IN_PROGRESS','ESCALATED')) AS open
           FROM data_need n`,
      );
      expect(rows.length).toBeGreaterThan(reference.needs.length);
      for (const row of rows)
        expect({ id: row.id, blocked: row.state === 'BLOCKED' }).toEqual({ id: row.id, blocked: row.open });
    });
  });
});
