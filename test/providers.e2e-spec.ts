/**
 * Providers and datasets over HTTP against the built server on the demo data: the queries, the
 * ADMIN-only provider mutations, dataset registration, identifier validation (OIN, TOOI URI),
 * uniqueness, the parent hierarchy, the audit trail and what a refused mutation leaves behind.
 */
import {
  auditCount as countAudit,
  auditOf as auditRows,
  expectRefused as refused,
  fieldsOf,
  globalId,
  localId,
  snapshot as snapshotOf,
  UNKNOWN_UUID,
} from './support/checks';
import { oinOf, providerIds, reference } from './support/demo';
import { codeOf, TestServer, token } from './support/server';

const PROVIDER = 'id name abbreviation kind oin tooiUri parent { id name } createdAt updatedAt';
const DATASET = 'id name code description isBaseRegistry containsPersonalData createdAt holder { id name }';

const CREATE = `mutation($input: CreateProviderInput!) { createProvider(input: $input) { ${PROVIDER} } }`;
const UPDATE = `mutation($input: UpdateProviderInput!) { updateProvider(input: $input) { ${PROVIDER} } }`;
const REGISTER = `mutation($input: RegisterDatasetInput!) { registerDataset(input: $input) { ${DATASET} } }`;

/** A fresh, well-formed OIN (test prefix 00000099) and TOOI URI per call. */
let serial = 0;
const freshOin = (): string => `00000099${String(100000000 + ++serial).slice(-9)}000`;
const freshTooi = (): string =>
  `https://identifier.overheid.nl/tooi/id/oorg/oorg9${String(++serial).padStart(5, '0')}`;

const OPEN = new Set(['REPORTED', 'TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'ESCALATED']);
/** Demo needs that an open demo blocker affects: BLOCKED by the domain rule. */
const blockedNeedKeys = new Set(
  reference.blockers.filter((b) => OPEN.has(b.status)).flatMap((b) => b.affectedNeeds),
);

describe('providers and datasets', () => {
  let server: TestServer;
  let ids: Record<string, string>;
  const admin = token('ADMIN', { sub: 'providers-admin', name: 'Ada Admin' });
  const steering = token('STEERING', { sub: 'providers-steering' });
  const analyst = token('ANALYST', { sub: 'providers-analyst' });
  const uwvSteward = token('STEWARD', { sub: 'providers-uwv-steward', org: oinOf('UWV') });
  const svbSteward = token('STEWARD', { sub: 'providers-svb-steward', org: oinOf('SVB') });

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    ids = await providerIds(server, analyst);
  });
  afterAll(async () => server?.stop());

  const auditCount = () => countAudit(server);
  const auditOf = (id: string) => auditRows(server, id);
  const snapshot = () => snapshotOf(server);
  const expectRefused = (
    query: string,
    variables: Record<string, unknown>,
    bearer: string,
    code: string,
    field?: string,
  ) => refused(server, query, variables, bearer, code, field);

  const createProvider = async (input: Record<string, unknown>) =>
    (await server.ok<any>(CREATE, { input: { kind: 'OTHER', ...input } }, admin)).createProvider;

  // ---------------------------------------------------------------- queries

  describe('providers query', () => {
    it('lists every demo provider by name, with a consistent totalCount', async () => {
      const data = await server.ok<any>(
        `{ providers { totalCount nodes { id name } edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage } } }`,
        {},
        analyst,
      );
      const c = data.providers;
      expect(c.totalCount).toBe(reference.providers.length);
      expect(c.nodes).toHaveLength(reference.providers.length);
      expect(c.edges.map((e: any) => e.node.id)).toEqual(c.nodes.map((n: any) => n.id));
      expect(c.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false });
      const { rows } = await server.db.query<{ name: string }>('SELECT name FROM provider ORDER BY name, id');
      expect(c.nodes.map((n: any) => n.name)).toEqual(rows.map((r) => r.name));
      expect(new Set(c.nodes.map((n: any) => n.name))).toEqual(
        new Set(reference.providers.map((p) => p.name)),
      );
    });

    it('filters by kind, one or several', async () => {
      const names = async (kind: string[]) =>
        (
          await server.ok<any>(
            'query($kind: [ProviderKind!]) { providers(filter: { kind: $kind }) { totalCount nodes { name kind } } }',
            { kind },
            analyst,
          )
        ).providers;
      const ministries = await names(['MINISTRY']);
      const expected = reference.providers.filter((p) => p.kind === 'MINISTRY').map((p) => p.name);
      expect(expected.length).toBeGreaterThan(1);
      expect(ministries.nodes.map((n: any) => n.name).sort()).toEqual([...expected].sort());
      expect(ministries.totalCount).toBe(expected.length);

      const both = await names(['MUNICIPALITY', 'CHAIN_ORGANISATION']);
      const expectedBoth = reference.providers.filter((p) =>
        ['MUNICIPALITY', 'CHAIN_ORGANISATION'].includes(p.kind),
      );
      expect(both.totalCount).toBe(expectedBoth.length);
      expect(new Set(both.nodes.map((n: any) => n.kind))).toEqual(
        new Set(['MUNICIPALITY', 'CHAIN_ORGANISATION']),
      );

      expect((await names(['WATER_BOARD'])).totalCount).toBe(0);
    });

    it('searches name and abbreviation (case-insensitive), OIN and TOOI URI', async () => {
      const search = async (s: string, kind?: string[]) =>
        (
          await server.ok<any>(
            'query($s: String, $kind: [ProviderKind!]) { providers(filter: { search: $s, kind: $kind }) { totalCount nodes { name abbreviation } } }',
            { s, kind },
            analyst,
          )
        ).providers;
      const uwvName = reference.providers.find((p) => p.key === 'UWV')!.name;
      const svbName = reference.providers.find((p) => p.key === 'SVB')!.name;

      // abbreviation, lower case
      expect((await search('uwv')).nodes.map((n: any) => n.name)).toEqual([uwvName]);
      // part of a name
      const gemeenten = await search('gemeente');
      expect(gemeenten.totalCount).toBe(
        reference.providers.filter((p) => p.name.startsWith('Gemeente ')).length,
      );
      expect(gemeenten.totalCount).toBeGreaterThan(3);
      // the full OIN
      expect((await search(oinOf('UWV'))).nodes.map((n: any) => n.name)).toEqual([uwvName]);
      // the full TOOI URI
      const svbTooi = reference.providers.find((p) => p.key === 'SVB')!.tooiUri!;
      expect((await search(svbTooi)).nodes.map((n: any) => n.name)).toEqual([svbName]);
      // a provider without OIN, by TOOI URI
      const bd = reference.providers.find((p) => p.key === 'BD')!;
      expect((await search(bd.tooiUri!)).nodes.map((n: any) => n.name)).toEqual([bd.name]);
      // LIKE wildcards are literal characters, not patterns
      expect((await search('%')).totalCount).toBe(0);
      expect((await search('_')).totalCount).toBe(0);
      // combined with kind
      expect((await search('Ministerie', ['EXECUTIVE_AGENCY'])).totalCount).toBe(0);
      expect((await search('Ministerie', ['MINISTRY'])).totalCount).toBe(
        reference.providers.filter((p) => p.kind === 'MINISTRY' && p.name.includes('Ministerie')).length,
      );
      expect((await search('no such organisation anywhere')).nodes).toEqual([]);
    });

    it('needs a token', async () => {
      expect(codeOf(await server.gql('{ providers { totalCount } }'))).toBe('UNAUTHENTICATED');
      expect(codeOf(await server.gql('{ providers { totalCount } }', {}, 'not-a-jwt'))).toBe(
        'UNAUTHENTICATED',
      );
    });
  });

  describe('provider(id) and its fields', () => {
    it('answers a provider with its identifiers and parent', async () => {
      const data = await server.ok<any>(
        `query($bd: ID!, $uwv: ID!) { bd: provider(id: $bd) { ${PROVIDER} } uwv: provider(id: $uwv) { ${PROVIDER} } }`,
        { bd: ids.BD, uwv: ids.UWV },
        analyst,
      );
      const bd = reference.providers.find((p) => p.key === 'BD')!;
      expect(data.bd).toMatchObject({
        id: ids.BD,
        name: bd.name,
        abbreviation: bd.abbreviation,
        kind: 'EXECUTIVE_AGENCY',
        oin: null,
        tooiUri: bd.tooiUri,
        parent: { id: ids.FIN, name: reference.providers.find((p) => p.key === 'FIN')!.name },
      });
      expect(data.uwv).toMatchObject({
        id: ids.UWV,
        oin: oinOf('UWV'),
        parent: null,
        kind: 'EXECUTIVE_AGENCY',
      });
      expect(Date.parse(data.uwv.createdAt)).not.toBeNaN();
    });

    it('answers null for an unknown provider and BAD_USER_INPUT for a malformed or foreign ID', async () => {
      const q = 'query($id: ID!) { provider(id: $id) { id } }';
      const unknown = await server.gql(q, { id: globalId('Provider', UNKNOWN_UUID) }, analyst);
      expect(unknown.errors).toBeUndefined();
      expect(unknown.data).toEqual({ provider: null });

      for (const id of ['garbage', '!!!', globalId('Provider', 'not-a-uuid'), '']) {
        const res = await server.gql(q, { id }, analyst);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
        expect(fieldsOf(res)).toEqual(['id']);
      }
      const dataset = await server.ok<any>('{ datasets(first: 1) { nodes { id } } }', {}, analyst);
      const wrongType = await server.gql(q, { id: dataset.datasets.nodes[0].id }, analyst);
      expect(codeOf(wrongType)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(wrongType)).toEqual(['id']);
    });

    it('lists the datasets a provider holds', async () => {
      const data = await server.ok<any>(
        `query($id: ID!) { provider(id: $id) { datasets { ${DATASET} } } }`,
        { id: ids.KADASTER },
        analyst,
      );
      const expected = reference.datasets.filter((d) => d.holder === 'KADASTER');
      expect(data.provider.datasets.map((d: any) => d.code).sort()).toEqual(
        expected.map((d) => d.code).sort(),
      );
      for (const d of data.provider.datasets) expect(d.holder.id).toBe(ids.KADASTER);
      const names = data.provider.datasets.map((d: any) => d.name);
      expect(names).toEqual([...names].sort());
      const woz = data.provider.datasets.find((d: any) => d.code === 'WOZ');
      expect(woz).toMatchObject({ isBaseRegistry: true, containsPersonalData: true });
      const bag = data.provider.datasets.find((d: any) => d.code === 'BAG');
      expect(bag.containsPersonalData).toBe(false);
    });

    it('gives a provider its needs (as requester) and supplies (as supplier), filtered by state', async () => {
      const data = await server.ok<any>(
        `query($id: ID!) { provider(id: $id) {
           needs { totalCount nodes { purpose requester { id } supplier { id } } }
           supplies { totalCount nodes { purpose state requester { id } supplier { id } } }
           blocked: supplies(state: [BLOCKED]) { totalCount nodes { purpose state } }
           notBlocked: supplies(state: [REQUESTED, FLOWING, WITHDRAWN]) { totalCount nodes { purpose state } }
         } }`,
        { id: ids.UWV },
        analyst,
      );
      const p = data.provider;
      const asRequester = reference.needs.filter((n) => n.requester === 'UWV');
      const asSupplier = reference.needs.filter((n) => n.supplier === 'UWV');
      expect(p.needs.totalCount).toBe(asRequester.length);
      expect(p.needs.nodes.map((n: any) => n.purpose).sort()).toEqual(
        asRequester.map((n) => n.purpose).sort(),
      );
      for (const n of p.needs.nodes) expect(n.requester.id).toBe(ids.UWV);

      expect(p.supplies.totalCount).toBe(asSupplier.length);
      expect(p.supplies.nodes.map((n: any) => n.purpose).sort()).toEqual(
        asSupplier.map((n) => n.purpose).sort(),
      );
      for (const n of p.supplies.nodes) expect(n.supplier.id).toBe(ids.UWV);

      const blocked = asSupplier.filter((n) => blockedNeedKeys.has(n.key));
      expect(blocked.length).toBeGreaterThan(0);
      expect(blocked.length).toBeLessThan(asSupplier.length);
      expect(p.blocked.nodes.map((n: any) => n.purpose).sort()).toEqual(blocked.map((n) => n.purpose).sort());
      expect(p.blocked.totalCount).toBe(blocked.length);
      expect(p.blocked.nodes.every((n: any) => n.state === 'BLOCKED')).toBe(true);
      expect(p.notBlocked.totalCount).toBe(asSupplier.length - blocked.length);
      expect(p.notBlocked.nodes.every((n: any) => n.state !== 'BLOCKED')).toBe(true);
    });
  });

  describe('datasets query', () => {
    it('lists all datasets, or those of one holder', async () => {
      const all = await server.ok<any>(`{ datasets { totalCount nodes { ${DATASET} } } }`, {}, analyst);
      expect(all.datasets.totalCount).toBe(reference.datasets.length);
      expect(all.datasets.nodes.map((d: any) => d.code).sort()).toEqual(
        reference.datasets.map((d) => d.code).sort(),
      );
      const { rows } = await server.db.query<{ name: string }>('SELECT name FROM dataset ORDER BY name, id');
      expect(all.datasets.nodes.map((d: any) => d.name)).toEqual(rows.map((r) => r.name));

      const bd = await server.ok<any>(
        `query($h: ID) { datasets(holderId: $h) { totalCount nodes { code holder { id } } } }`,
        { h: ids.BD },
        analyst,
      );
      const expected = reference.datasets.filter((d) => d.holder === 'BD').map((d) => d.code);
      expect(bd.datasets.totalCount).toBe(expected.length);
      expect(bd.datasets.nodes.map((d: any) => d.code).sort()).toEqual([...expected].sort());
      expect(bd.datasets.nodes.every((d: any) => d.holder.id === ids.BD)).toBe(true);

      const none = await server.ok<any>(
        `query($h: ID) { datasets(holderId: $h) { totalCount nodes { id } } }`,
        { h: ids.SZW },
        analyst,
      );
      expect(none.datasets).toEqual({ totalCount: 0, nodes: [] });
    });

    it('refuses a holderId that is not a provider ID', async () => {
      const q = 'query($h: ID) { datasets(holderId: $h) { totalCount } }';
      const bad = await server.gql(q, { h: 'nope' }, analyst);
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(bad)).toEqual(['holderId']);
      const needs = await server.ok<any>('{ dataNeeds(first: 1) { nodes { id } } }', {}, analyst);
      const foreign = await server.gql(q, { h: needs.dataNeeds.nodes[0].id }, analyst);
      expect(codeOf(foreign)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(foreign)).toEqual(['holderId']);
    });
  });

  describe('node(id) and viewer', () => {
    it('finds a Provider and a Dataset by global ID', async () => {
      const polis = await server.ok<any>(
        `query($h: ID) { datasets(holderId: $h) { nodes { id code } } }`,
        { h: ids.UWV },
        analyst,
      );
      const polisId = polis.datasets.nodes.find((d: any) => d.code === 'POLIS').id;
      const data = await server.ok<any>(
        `query($p: ID!, $d: ID!) {
           p: node(id: $p) { __typename id ... on Provider { name oin } }
           d: node(id: $d) { __typename id ... on Dataset { code holder { id } } }
         }`,
        { p: ids.UWV, d: polisId },
        analyst,
      );
      expect(data.p).toEqual({
        __typename: 'Provider',
        id: ids.UWV,
        name: reference.providers.find((p) => p.key === 'UWV')!.name,
        oin: oinOf('UWV'),
      });
      expect(data.d).toEqual({ __typename: 'Dataset', id: polisId, code: 'POLIS', holder: { id: ids.UWV } });
    });

    it('answers null for unknown, malformed and wrongly typed IDs', async () => {
      const q = 'query($id: ID!) { node(id: $id) { id } }';
      for (const id of [
        globalId('Provider', UNKNOWN_UUID),
        globalId('Dataset', UNKNOWN_UUID),
        'garbage',
        globalId('Nope', UNKNOWN_UUID),
      ]) {
        const res = await server.gql(q, { id }, analyst);
        expect(res.errors).toBeUndefined();
        expect(res.data).toEqual({ node: null });
      }
    });

    it('tells the viewer who they are; a steward sees their provider, node(id) finds the User', async () => {
      const q = `{ viewer { id subject name roles provider { id name } } }`;
      const steward = (await server.ok<any>(q, {}, uwvSteward)).viewer;
      expect(steward).toMatchObject({
        subject: 'providers-uwv-steward',
        roles: ['STEWARD'],
        provider: { id: ids.UWV },
      });
      const adminViewer = (await server.ok<any>(q, {}, admin)).viewer;
      expect(adminViewer).toMatchObject({
        subject: 'providers-admin',
        name: 'Ada Admin',
        roles: ['ADMIN'],
        provider: null,
      });
      expect(adminViewer.id).not.toBe(steward.id);

      const node = await server.ok<any>(
        'query($id: ID!) { node(id: $id) { __typename id ... on User { subject name roles provider { id } } } }',
        { id: steward.id },
        analyst,
      );
      expect(node.node).toEqual({
        __typename: 'User',
        id: steward.id,
        subject: 'providers-uwv-steward',
        name: 'Test STEWARD',
        roles: ['STEWARD'],
        provider: { id: ids.UWV },
      });

      // A steward may be identified by the TOOI URI of a provider without OIN.
      const bdSteward = token('STEWARD', {
        sub: 'providers-bd-steward',
        org: reference.providers.find((p) => p.key === 'BD')!.tooiUri!,
      });
      expect((await server.ok<any>(q, {}, bdSteward)).viewer.provider.id).toBe(ids.BD);
    });
  });

  // ---------------------------------------------------------------- createProvider

  describe('createProvider', () => {
    it('lets an ADMIN create a provider and records one provider.created event', async () => {
      const before = await auditCount();
      const oin = freshOin();
      const tooiUri = freshTooi();
      const created = await createProvider({
        name: 'Dienst Testregistratie',
        abbreviation: 'DTR',
        kind: 'EXECUTIVE_AGENCY',
        oin,
        tooiUri,
        parentId: ids.BZK,
      });
      expect(created).toMatchObject({
        name: 'Dienst Testregistratie',
        abbreviation: 'DTR',
        kind: 'EXECUTIVE_AGENCY',
        oin,
        tooiUri,
        parent: { id: ids.BZK },
      });
      expect(await auditCount()).toBe(before + 1);
      const events = await auditOf(created.id);
      expect(events).toHaveLength(1);
      expect(events[0].action).toBe('provider.created');
      expect(events[0].entity_type).toBe('Provider');
      expect(events[0].subject).toBe('providers-admin');
      expect(events[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'name', from: null, to: 'Dienst Testregistratie' },
          { field: 'abbreviation', from: null, to: 'DTR' },
          { field: 'kind', from: null, to: 'EXECUTIVE_AGENCY' },
          { field: 'oin', from: null, to: oin },
          { field: 'tooiUri', from: null, to: tooiUri },
          { field: 'parent', from: null, to: ids.BZK },
        ]),
      );
      expect(events[0].changes).toHaveLength(6);

      // It can be read back, and its parent is there.
      const read = await server.ok<any>(
        `query($id: ID!) { provider(id: $id) { ${PROVIDER} } }`,
        { id: created.id },
        analyst,
      );
      expect(read.provider).toEqual(created);
      const row = await server.db.query('SELECT name, oin, parent_id FROM provider WHERE id = $1', [
        localId(created.id),
      ]);
      expect(row.rows[0]).toEqual({ name: 'Dienst Testregistratie', oin, parent_id: localId(ids.BZK) });
    });

    it('creates a provider with only a name and kind; unset fields are not in the audit event', async () => {
      const created = await createProvider({ name: 'Waterschap Test', kind: 'WATER_BOARD' });
      expect(created).toMatchObject({ abbreviation: null, oin: null, tooiUri: null, parent: null });
      const [event] = await auditOf(created.id);
      expect(event.changes).toEqual([
        { field: 'name', from: null, to: 'Waterschap Test' },
        { field: 'kind', from: null, to: 'WATER_BOARD' },
      ]);
    });

    it.each(['STEERING', 'STEWARD', 'ANALYST'] as const)('refuses %s with FORBIDDEN', async (role) => {
      const bearer = role === 'STEWARD' ? uwvSteward : role === 'STEERING' ? steering : analyst;
      await expectRefused(
        CREATE,
        { input: { name: `Forbidden by ${role}`, kind: 'OTHER', oin: freshOin() } },
        bearer,
        'FORBIDDEN',
      );
    });

    it('refuses an anonymous caller', async () => {
      await expectRefused(CREATE, { input: { name: 'Anonymous', kind: 'OTHER' } }, '', 'UNAUTHENTICATED');
    });

    it.each([
      ['a one-letter name', { name: 'X' }, 'input.name'],
      ['an empty name', { name: '' }, 'input.name'],
      ['a name of 201 characters', { name: 'x'.repeat(201) }, 'input.name'],
      ['an empty abbreviation', { abbreviation: '' }, 'input.abbreviation'],
      ['a malformed parentId', { parentId: 'not-an-id' }, 'input.parentId'],
      ['an unknown parentId', { parentId: globalId('Provider', UNKNOWN_UUID) }, 'input.parentId'],
      ['a parentId of another type', { parentId: globalId('Dataset', UNKNOWN_UUID) }, 'input.parentId'],
    ])('refuses %s with BAD_USER_INPUT', async (_label, input, field) => {
      await expectRefused(
        CREATE,
        { input: { name: 'Valid Name', kind: 'OTHER', ...input } },
        admin,
        'BAD_USER_INPUT',
        field,
      );
    });

    it('refuses an unknown kind before it reaches the resolver', async () => {
      const res = await server.gql(CREATE, { input: { name: 'Valid Name', kind: 'GUILD' } }, admin);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.data).toBeUndefined();
    });
  });

  // ---------------------------------------------------------------- identifiers

  describe('OIN and TOOI URI format', () => {
    it.each([
      ['an RSIN-based OIN with a non-zero suffix (Ministerie van JenV)', '00000001003214436001'],
      ['a main number of 8 digits and suffix 0000', '00000003123456780000'],
      ['letters in the main number', '00000004ABCDEF123000'],
      ['the test prefix', '00000099000000001000'],
      ['a prefix not in the list of known prefixes', '00000005123456789000'],
    ])('accepts %s', async (_label, oin) => {
      // JenV's own OIN is taken in the demo data: accepted as an OIN, refused only as a duplicate.
      const taken = await server.db.query('SELECT 1 FROM provider WHERE oin = $1', [oin]);
      if (taken.rowCount) {
        await expectRefused(
          CREATE,
          { input: { name: 'Duplicate JenV', kind: 'MINISTRY', oin } },
          admin,
          'CONFLICT',
          'input.oin',
        );
        // ... and on a free provider it passes the format check: clear it, use it, put it back.
        const jenv = ids.JENV;
        await server.ok(UPDATE, { input: { id: jenv, oin: null } }, admin);
        const created = await createProvider({ name: 'Holder of a real OIN', oin });
        expect(created.oin).toBe(oin);
        await server.ok(UPDATE, { input: { id: created.id, oin: null } }, admin);
        const restored = await server.ok<any>(UPDATE, { input: { id: jenv, oin } }, admin);
        expect(restored.updateProvider.oin).toBe(oin);
      } else {
        const created = await createProvider({ name: `Holder of ${oin}`, oin });
        expect(created.oin).toBe(oin);
      }
    });

    it.each([
      ['19 characters', '0000000181022035000'],
      ['21 characters', '000000018102203500000'],
      ['a letter in the prefix', '0000000A810220350000'],
      ['a letter in the suffix', '0000000181022035000A'],
      ['a space', '00000001 10220350000'],
      ['a hyphen', '00000001-10220350000'],
      ['an empty string', ''],
    ])('refuses an OIN with %s', async (_label, oin) => {
      await expectRefused(
        CREATE,
        { input: { name: 'Bad OIN', kind: 'OTHER', oin } },
        admin,
        'BAD_USER_INPUT',
        'input.oin',
      );
      const created = await createProvider({ name: `For a bad OIN update ${++serial}` });
      await expectRefused(UPDATE, { input: { id: created.id, oin } }, admin, 'BAD_USER_INPUT', 'input.oin');
    });

    it('accepts a TOOI URI of the register of government organisations', async () => {
      const created = await createProvider({
        name: 'Gemeente Testdorp',
        kind: 'MUNICIPALITY',
        tooiUri: 'https://identifier.overheid.nl/tooi/id/gemeente/gm9999',
      });
      expect(created.tooiUri).toBe('https://identifier.overheid.nl/tooi/id/gemeente/gm9999');
    });

    it.each([
      ['http instead of https', 'http://identifier.overheid.nl/tooi/id/gemeente/gm9998'],
      ['another host', 'https://example.org/tooi/id/gemeente/gm9998'],
      ['no identifier', 'https://identifier.overheid.nl/tooi/id/gemeente/'],
      ['a trailing slash', 'https://identifier.overheid.nl/tooi/id/gemeente/gm9998/'],
      ['no scheme', 'identifier.overheid.nl/tooi/id/gemeente/gm9998'],
      ['free text', 'Gemeente Nergens'],
    ])('refuses a TOOI URI with %s', async (_label, tooiUri) => {
      await expectRefused(
        CREATE,
        { input: { name: 'Bad TOOI', kind: 'OTHER', tooiUri } },
        admin,
        'BAD_USER_INPUT',
        'input.tooiUri',
      );
    });

    it('refuses an OIN or TOOI URI that another provider has with CONFLICT', async () => {
      await expectRefused(
        CREATE,
        { input: { name: 'Second UWV', kind: 'OTHER', oin: oinOf('UWV') } },
        admin,
        'CONFLICT',
        'input.oin',
      );
      const svbTooi = reference.providers.find((p) => p.key === 'SVB')!.tooiUri!;
      await expectRefused(
        CREATE,
        { input: { name: 'Second SVB', kind: 'OTHER', tooiUri: svbTooi } },
        admin,
        'CONFLICT',
        'input.tooiUri',
      );

      const created = await createProvider({
        name: 'Will try to take identifiers',
        oin: freshOin(),
        tooiUri: freshTooi(),
      });
      await expectRefused(
        UPDATE,
        { input: { id: created.id, oin: oinOf('SVB') } },
        admin,
        'CONFLICT',
        'input.oin',
      );
      await expectRefused(
        UPDATE,
        { input: { id: created.id, tooiUri: svbTooi } },
        admin,
        'CONFLICT',
        'input.tooiUri',
      );
      // Its own values are not a conflict with itself.
      const same = await server.gql(
        UPDATE,
        { input: { id: created.id, oin: created.oin, tooiUri: created.tooiUri } },
        admin,
      );
      expect(same.errors).toBeUndefined();
    });
  });

  // ---------------------------------------------------------------- updateProvider

  describe('updateProvider', () => {
    it('changes only the given fields and records them field by field', async () => {
      const oin = freshOin();
      const created = await createProvider({ name: 'Oude Naam', abbreviation: 'ON', kind: 'OTHER', oin });
      const before = await auditCount();
      const updated = (
        await server.ok<any>(
          UPDATE,
          { input: { id: created.id, name: 'Nieuwe Naam', kind: 'PROVINCE' } },
          admin,
        )
      ).updateProvider;
      expect(updated).toMatchObject({
        id: created.id,
        name: 'Nieuwe Naam',
        kind: 'PROVINCE',
        abbreviation: 'ON',
        oin,
      });
      expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
      expect(await auditCount()).toBe(before + 1);
      const events = await auditOf(created.id);
      expect(events.map((e) => e.action)).toEqual(['provider.created', 'provider.updated']);
      expect(events[1].subject).toBe('providers-admin');
      expect(events[1].changes).toEqual([
        { field: 'name', from: 'Oude Naam', to: 'Nieuwe Naam' },
        { field: 'kind', from: 'OTHER', to: 'PROVINCE' },
      ]);

      // null clears an optional field
      const cleared = (
        await server.ok<any>(UPDATE, { input: { id: created.id, oin: null, abbreviation: null } }, admin)
      ).updateProvider;
      expect(cleared).toMatchObject({ oin: null, abbreviation: null, name: 'Nieuwe Naam' });
      const last = (await auditOf(created.id)).at(-1)!;
      expect(last.action).toBe('provider.updated');
      expect(last.changes).toEqual([
        { field: 'abbreviation', from: 'ON', to: null },
        { field: 'oin', from: oin, to: null },
      ]);
    });

    it('writes no event when nothing changes', async () => {
      const created = await createProvider({ name: 'Onveranderlijk', abbreviation: 'OV' });
      const before = await snapshot();
      const res = await server.ok<any>(
        UPDATE,
        { input: { id: created.id, name: 'Onveranderlijk', abbreviation: 'OV' } },
        admin,
      );
      expect(res.updateProvider.name).toBe('Onveranderlijk');
      expect(await snapshot()).toEqual(before);
    });

    it.each(['STEERING', 'STEWARD', 'ANALYST'] as const)('refuses %s with FORBIDDEN', async (role) => {
      const bearer = role === 'STEWARD' ? uwvSteward : role === 'STEERING' ? steering : analyst;
      // Not even a steward on their own provider.
      await expectRefused(UPDATE, { input: { id: ids.UWV, name: 'Renamed UWV' } }, bearer, 'FORBIDDEN');
    });

    it('refuses a malformed, foreign or unknown id', async () => {
      await expectRefused(
        UPDATE,
        { input: { id: 'xyz', name: 'Whatever' } },
        admin,
        'BAD_USER_INPUT',
        'input.id',
      );
      await expectRefused(
        UPDATE,
        { input: { id: globalId('Dataset', UNKNOWN_UUID), name: 'Whatever' } },
        admin,
        'BAD_USER_INPUT',
        'input.id',
      );
      await expectRefused(
        UPDATE,
        { input: { id: globalId('Provider', UNKNOWN_UUID), name: 'Whatever' } },
        admin,
        'NOT_FOUND',
      );
    });

    it('refuses a too-short name and an unknown parent', async () => {
      await expectRefused(
        UPDATE,
        { input: { id: ids.SVB, name: 'S' } },
        admin,
        'BAD_USER_INPUT',
        'input.name',
      );
      await expectRefused(
        UPDATE,
        { input: { id: ids.SVB, parentId: globalId('Provider', UNKNOWN_UUID) } },
        admin,
        'BAD_USER_INPUT',
        'input.parentId',
      );
    });

    it('sets and clears a parent, and never lets a provider become its own ancestor', async () => {
      const top = await createProvider({ name: 'Hierarchy Top' });
      const middle = await createProvider({ name: 'Hierarchy Middle', parentId: top.id });
      const bottom = await createProvider({ name: 'Hierarchy Bottom' });

      const moved = (await server.ok<any>(UPDATE, { input: { id: bottom.id, parentId: middle.id } }, admin))
        .updateProvider;
      expect(moved.parent).toEqual({ id: middle.id, name: 'Hierarchy Middle' });
      expect((await auditOf(bottom.id)).at(-1)!.changes).toEqual([
        { field: 'parent', from: null, to: middle.id },
      ]);

      // itself, its child, its grandchild
      for (const parentId of [top.id, middle.id, bottom.id]) {
        await expectRefused(
          UPDATE,
          { input: { id: top.id, parentId } },
          admin,
          'BAD_USER_INPUT',
          'input.parentId',
        );
      }
      await expectRefused(
        UPDATE,
        { input: { id: middle.id, parentId: bottom.id } },
        admin,
        'BAD_USER_INPUT',
        'input.parentId',
      );

      // Moving a subtree under an unrelated provider is fine.
      const other = await createProvider({ name: 'Hierarchy Elsewhere' });
      const resettled = (
        await server.ok<any>(UPDATE, { input: { id: middle.id, parentId: other.id } }, admin)
      ).updateProvider;
      expect(resettled.parent.id).toBe(other.id);
      expect((await auditOf(middle.id)).at(-1)!.changes).toEqual([
        { field: 'parent', from: top.id, to: other.id },
      ]);
      // Now top is no longer above bottom: top may go under bottom.
      const underBottom = (
        await server.ok<any>(UPDATE, { input: { id: top.id, parentId: bottom.id } }, admin)
      ).updateProvider;
      expect(underBottom.parent.id).toBe(bottom.id);

      // null clears the parent
      const orphan = (await server.ok<any>(UPDATE, { input: { id: bottom.id, parentId: null } }, admin))
        .updateProvider;
      expect(orphan.parent).toBeNull();
      expect((await auditOf(bottom.id)).at(-1)!.changes).toEqual([
        { field: 'parent', from: middle.id, to: null },
      ]);
    });
  });

  // ---------------------------------------------------------------- registerDataset

  describe('registerDataset', () => {
    it('lets a steward register a dataset of their own provider, with defaults, and records it', async () => {
      const before = await auditCount();
      const ds = (
        await server.ok<any>(
          REGISTER,
          { input: { holderId: ids.UWV, name: 'Werkregister', code: 'WREG' } },
          uwvSteward,
        )
      ).registerDataset;
      expect(ds).toMatchObject({
        name: 'Werkregister',
        code: 'WREG',
        description: null,
        isBaseRegistry: false,
        containsPersonalData: true,
        holder: { id: ids.UWV },
      });
      expect(await auditCount()).toBe(before + 1);
      const events = await auditOf(ds.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'dataset.registered',
        entity_type: 'Dataset',
        subject: 'providers-uwv-steward',
      });
      expect(events[0].changes).toEqual(
        expect.arrayContaining([
          { field: 'holder', from: null, to: ids.UWV },
          { field: 'name', from: null, to: 'Werkregister' },
          { field: 'code', from: null, to: 'WREG' },
          { field: 'isBaseRegistry', from: null, to: false },
          { field: 'containsPersonalData', from: null, to: true },
        ]),
      );
      expect(events[0].changes.map((c: any) => c.field)).not.toContain('description');

      // It shows up on the provider, in datasets(holderId) and through node(id).
      const read = await server.ok<any>(
        `query($h: ID!, $d: ID!) {
           provider(id: $h) { datasets { id } }
           datasets(holderId: $h) { totalCount nodes { id } }
           node(id: $d) { ... on Dataset { name code } }
         }`,
        { h: ids.UWV, d: ds.id },
        analyst,
      );
      expect(read.provider.datasets.map((d: any) => d.id)).toContain(ds.id);
      expect(read.datasets.nodes.map((d: any) => d.id)).toContain(ds.id);
      expect(read.datasets.totalCount).toBe(reference.datasets.filter((d) => d.holder === 'UWV').length + 1);
      expect(read.node).toEqual({ name: 'Werkregister', code: 'WREG' });
    });

    it('lets an ADMIN register for any holder, with every field', async () => {
      const ds = (
        await server.ok<any>(
          REGISTER,
          {
            input: {
              holderId: ids.CBS,
              name: 'Microdata',
              code: 'MICRO',
              description: 'Microdata for research',
              isBaseRegistry: false,
              containsPersonalData: false,
            },
          },
          admin,
        )
      ).registerDataset;
      expect(ds).toMatchObject({
        holder: { id: ids.CBS },
        description: 'Microdata for research',
        containsPersonalData: false,
      });
      const [event] = await auditOf(ds.id);
      expect(event.changes).toEqual(
        expect.arrayContaining([
          { field: 'description', from: null, to: 'Microdata for research' },
          { field: 'containsPersonalData', from: null, to: false },
        ]),
      );
    });

    it('refuses stewards of another provider, STEERING and ANALYST with FORBIDDEN', async () => {
      for (const bearer of [svbSteward, steering, analyst]) {
        await expectRefused(
          REGISTER,
          { input: { holderId: ids.UWV, name: 'Not Yours', code: 'NY' } },
          bearer,
          'FORBIDDEN',
        );
      }
    });

    it('refuses a code the holder already uses with CONFLICT, but another holder may use it', async () => {
      await expectRefused(
        REGISTER,
        { input: { holderId: ids.UWV, name: 'Tweede Polis', code: 'POLIS' } },
        uwvSteward,
        'CONFLICT',
        'input.code',
      );
      const elsewhere = await server.ok<any>(
        REGISTER,
        { input: { holderId: ids.SVB, name: 'Polis van SVB', code: 'POLIS' } },
        svbSteward,
      );
      expect(elsewhere.registerDataset).toMatchObject({ code: 'POLIS', holder: { id: ids.SVB } });
    });

    it.each([
      ['a too-short name', { name: 'X' }, 'input.name'],
      ['an empty code', { code: '' }, 'input.code'],
      ['a description of 5001 characters', { description: 'd'.repeat(5001) }, 'input.description'],
      ['a malformed holderId', { holderId: '@@' }, 'input.holderId'],
      ['a holderId of another type', { holderId: globalId('DataNeed', UNKNOWN_UUID) }, 'input.holderId'],
      ['an unknown holderId', { holderId: globalId('Provider', UNKNOWN_UUID) }, 'input.holderId'],
    ])('refuses %s with BAD_USER_INPUT', async (_label, input, field) => {
      await expectRefused(
        REGISTER,
        { input: { holderId: ids.CBS, name: 'Valid Dataset', ...input } },
        admin,
        'BAD_USER_INPUT',
        field,
      );
    });
  });
});
