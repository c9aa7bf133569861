/**
 * Blockers over HTTP on the demo data: reporting (permissions, keys, taxonomy, validation, possible
 * duplicates), look-ups, the list with every filter and order and keyset paging, updates, affected
 * needs, comments, and the derived state of data needs.
 */
import { needIds, providerIds, reference } from './support/demo';
import { codeOf, GraphQLResponse, TestServer, token } from './support/server';

const admin = token('ADMIN', { name: 'Ada Admin', sub: 'blockers-admin' });
const steering = token('STEERING', { name: 'Stella Steering', sub: 'blockers-steering' });
const analyst = token('ANALYST', { name: 'Anna Analyst', sub: 'blockers-analyst' });

/** The OIN of a demo provider, or its TOOI URI when it has none (the Belastingdienst). */
const orgOf = (key: string): string => {
  const p = reference.providers.find((x) => x.key === key);
  if (!p) throw new Error(`no provider ${key} in the reference data`);
  return p.oin ?? p.tooiUri;
};
const steward = (key: string): string =>
  token('STEWARD', { org: orgOf(key), name: `Steward ${key}`, sub: `blockers-steward-${key.toLowerCase()}` });

/** The brief's taxonomy, written out again so that the server is checked against the brief. */
const LAYER_OF: Record<string, string> = {
  NO_LEGAL_BASIS: 'LEGAL',
  PURPOSE_LIMITATION: 'LEGAL',
  CONFIDENTIALITY_DUTY: 'LEGAL',
  BASIS_NOT_FOR_CHAIN: 'LEGAL',
  LEGAL_UNCERTAINTY: 'LEGAL',
  CONSENT_REQUIRED: 'LEGAL',
  PENDING_ADVICE: 'LEGAL',
  UNCLEAR_RESPONSIBILITY: 'ORGANISATIONAL',
  PROCESS_MISALIGNMENT: 'ORGANISATIONAL',
  NO_AGREEMENT: 'ORGANISATIONAL',
  NO_CAPACITY: 'ORGANISATIONAL',
  NO_FEEDBACK_LOOP: 'ORGANISATIONAL',
  DEFINITION_MISMATCH: 'SEMANTIC',
  DATA_QUALITY: 'SEMANTIC',
  IDENTIFICATION: 'SEMANTIC',
  GRANULARITY: 'SEMANTIC',
  NO_SHARED_VOCABULARY: 'SEMANTIC',
  NO_INTERFACE: 'TECHNICAL',
  LEGACY_SYSTEM: 'TECHNICAL',
  AVAILABILITY: 'TECHNICAL',
  SECURITY: 'TECHNICAL',
  PROTOCOL_MISMATCH: 'TECHNICAL',
  NO_DECISION_MAKER: 'GOVERNANCE',
  FINANCING: 'GOVERNANCE',
  STANDARDS_CHOICE: 'GOVERNANCE',
  POLITICAL_PRIORITY: 'GOVERNANCE',
};

const SEVERITY_RANK: Record<string, number> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1 };

const BLOCKER = `
  fragment B on Blocker {
    id key title description type layer severity status open version confidential perceived legalReference
    effort targetDate daysOpen createdAt updatedAt statusChangedAt
    reportingProvider { id } owner { id } reportedBy { name }
    impact { peopleAffectedPerYear businessesAffectedPerYear manualHoursPerYear costPerYearEur }
    affectedNeeds(first: 10) { totalCount nodes { id } }
    priority { score level rank }
    endorsements { provider { id } }
  }`;

const REPORT = `mutation($input: ReportBlockerInput!) {
  reportBlocker(input: $input) { blocker { ...B } possibleDuplicates { id key status } }
} ${BLOCKER}`;

const UPDATE = `mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { ...B } } ${BLOCKER}`;
const LINK = `mutation($input: BlockerNeedInput!) { linkAffectedNeed(input: $input) { ...B } } ${BLOCKER}`;
const UNLINK = `mutation($input: BlockerNeedInput!) { unlinkAffectedNeed(input: $input) { ...B } } ${BLOCKER}`;
const TRANSITION = `mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { ...B } } ${BLOCKER}`;
const BY_KEY = `query($key: String) { blocker(key: $key) { ...B } } ${BLOCKER}`;

/** A title made of one fresh significant word, so that no two test titles look alike. */
let titleCounter = 0;
const freshTitle = (): string => {
  titleCounter += 1;
  const letters = (titleCounter * 7919 + 104729)
    .toString(26)
    .split('')
    .map((c) => String.fromCharCode(97 + parseInt(c, 26)))
    .join('');
  return `Gap ${letters}qz`;
};

const localId = (globalId: string): string =>
  Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
const numberOf = (key: string): number => Number(key.replace('KNP-', ''));
const fieldsOf = (res: GraphQLResponse): string[] =>
  ((res.errors?.[0]?.extensions?.fields ?? []) as Array<{ field: string }>).map((f) => f.field);
const sortKeys = (keys: string[]): string[] => [...keys].sort((a, b) => numberOf(a) - numberOf(b));

describe('blockers', () => {
  let server: TestServer;
  let P: Record<string, string>;
  let N: Record<string, string>;
  /** Every key a successful report answered, in the order of the reports. */
  const reportedKeys: string[] = [];

  const report = async (bearer: string, input: Record<string, unknown>): Promise<GraphQLResponse> => {
    const res = await server.gql(
      REPORT,
      {
        input: {
          title: freshTitle(),
          description: 'Described for the end-to-end test.',
          type: 'NO_INTERFACE',
          severity: 'MEDIUM',
          ...input,
        },
      },
      bearer,
    );
    const key = res.data?.reportBlocker?.blocker?.key;
    if (key) reportedKeys.push(key);
    return res;
  };
  const reportOk = async (bearer: string, input: Record<string, unknown>): Promise<any> => {
    const res = await report(bearer, input);
    if (res.errors) throw new Error(`reportBlocker failed: ${JSON.stringify(res.errors)}`);
    return res.data!.reportBlocker;
  };
  const byKey = async (key: string, bearer = steering): Promise<any> =>
    (await server.ok<any>(BY_KEY, { key }, bearer)).blocker;
  const blockerCount = async (): Promise<number> =>
    Number((await server.db.query('SELECT count(*) AS n FROM blocker')).rows[0].n);
  const auditCount = async (): Promise<number> =>
    Number((await server.db.query('SELECT count(*) AS n FROM audit_event')).rows[0].n);
  const needState = async (needKey: string): Promise<string> => {
    const data = await server.ok<any>(
      'query($id: ID!) { node(id: $id) { ... on DataNeed { state } } }',
      { id: N[needKey] },
      analyst,
    );
    return data.node.state;
  };
  const lastEvent = async (blockerId: string): Promise<any> => {
    const data = await server.ok<any>(
      `query($id: ID) { blocker(id: $id) { history(first: 1) { nodes { action reason actor { name } changes { field from to } } } } }`,
      { id: blockerId },
      admin,
    );
    return data.blocker.history.nodes[0];
  };

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    P = await providerIds(server, admin);
    N = await needIds(server, admin);
    for (const [key, id] of [...Object.entries(P), ...Object.entries(N)])
      if (!id) throw new Error(`demo data lacks ${key}`);
  });
  afterAll(async () => server?.stop());

  // ------------------------------------------------------------------ reportBlocker

  describe('reportBlocker', () => {
    it('lets a steward of the requester report, for their own provider, as KNP-20 with the layer of its type', async () => {
      const before = await auditCount();
      const { blocker } = await reportOk(steward('SVB'), {
        title: 'Gap wealth figures unavailable for outreach',
        type: 'PROTOCOL_MISMATCH',
        severity: 'HIGH',
        perceived: true,
        legalReference: 'Wet SUWI art. 54',
        affectedNeedIds: [N.N2],
        impact: {
          peopleAffectedPerYear: 1200,
          businessesAffectedPerYear: 3,
          manualHoursPerYear: 400,
          costPerYearEur: 25000,
        },
        effort: 'S',
        targetDate: '2027-03-31',
      });
      expect(blocker).toMatchObject({
        key: 'KNP-20',
        type: 'PROTOCOL_MISMATCH',
        layer: 'TECHNICAL',
        severity: 'HIGH',
        status: 'REPORTED',
        open: true,
        version: 1,
        confidential: false,
        perceived: true,
        legalReference: 'Wet SUWI art. 54',
        effort: 'S',
        targetDate: '2027-03-31',
        reportingProvider: { id: P.SVB },
        owner: null,
        reportedBy: { name: 'Steward SVB' },
        impact: {
          peopleAffectedPerYear: 1200,
          businessesAffectedPerYear: 3,
          manualHoursPerYear: 400,
          costPerYearEur: 25000,
        },
        affectedNeeds: { totalCount: 1, nodes: [{ id: N.N2 }] },
      });
      expect(await auditCount()).toBe(before + 1);
      expect(await lastEvent(blocker.id)).toMatchObject({
        action: 'blocker.reported',
        actor: { name: 'Steward SVB' },
      });
      // The same blocker by key and by id.
      expect((await byKey('KNP-20')).id).toBe(blocker.id);
    });

    it('lets a steward of the supplier report; the reporting provider is their own', async () => {
      const { blocker } = await reportOk(steward('UWV'), {
        type: 'DATA_QUALITY',
        affectedNeedIds: [N.N1],
      });
      expect(blocker.reportingProvider.id).toBe(P.UWV);
      expect(blocker.layer).toBe('SEMANTIC');
      expect(blocker.reportedBy.name).toBe('Steward UWV');
    });

    it('accepts a steward involved in at least one of several affected needs', async () => {
      const { blocker } = await reportOk(steward('UTRECHT'), {
        type: 'NO_CAPACITY',
        affectedNeedIds: [N.N1, N.N9],
      });
      expect(blocker.reportingProvider.id).toBe(P.UTRECHT);
      expect(blocker.layer).toBe('ORGANISATIONAL');
      expect(blocker.affectedNeeds.totalCount).toBe(2);
      expect(blocker.affectedNeeds.nodes.map((n: { id: string }) => n.id).sort()).toEqual(
        [N.N1, N.N9].sort(),
      );
    });

    it('refuses stewards of uninvolved providers, analysts and a steward naming another provider', async () => {
      const blockers = await blockerCount();
      const events = await auditCount();
      const refused: Array<[string, Record<string, unknown>]> = [
        [steward('UTRECHT'), { affectedNeedIds: [N.N1] }],
        [steward('AP'), { affectedNeedIds: [N.N3, N.N5] }],
        [analyst, { affectedNeedIds: [N.N1] }],
        [steward('SVB'), { affectedNeedIds: [N.N1], reportingProviderId: P.UWV }],
        // UWV supplies N1, but a steward never reports on behalf of another provider.
        [steward('UWV'), { affectedNeedIds: [N.N1], reportingProviderId: P.SVB }],
      ];
      for (const [bearer, input] of refused) {
        const res = await report(bearer, input);
        expect(codeOf(res)).toBe('FORBIDDEN');
        expect(res.data?.reportBlocker ?? null).toBeNull();
      }
      expect(await blockerCount()).toBe(blockers);
      expect(await auditCount()).toBe(events);
      // Naming their own provider is fine.
      const { blocker } = await reportOk(steward('SVB'), {
        type: 'SECURITY',
        affectedNeedIds: [N.N1],
        reportingProviderId: P.SVB,
      });
      expect(blocker.reportingProvider.id).toBe(P.SVB);
    });

    it('lets STEERING and ADMIN report, for any provider', async () => {
      // Without a token organisation, the requester of the first affected need (as given) reports.
      const bySteering = (await reportOk(steering, { affectedNeedIds: [N.N11, N.N1], type: 'AVAILABILITY' }))
        .blocker;
      expect(bySteering.reportingProvider.id).toBe(P.RVR);
      expect(bySteering.reportedBy.name).toBe('Stella Steering');
      const reversed = (await reportOk(steering, { affectedNeedIds: [N.N1, N.N11], type: 'AVAILABILITY' }))
        .blocker;
      expect(reversed.reportingProvider.id).toBe(P.SVB);
      const byAdmin = (
        await reportOk(admin, {
          affectedNeedIds: [N.N11],
          type: 'LEGACY_SYSTEM',
          reportingProviderId: P.BKWI,
          ownerId: P.LOGIUS,
        })
      ).blocker;
      expect(byAdmin.reportingProvider.id).toBe(P.BKWI);
      expect(byAdmin.owner.id).toBe(P.LOGIUS);
      expect(byAdmin.reportedBy.name).toBe('Ada Admin');
      const unknown = await report(admin, {
        affectedNeedIds: [N.N11],
        reportingProviderId: Buffer.from('Provider:00000000-0000-4000-8000-000000000000').toString(
          'base64url',
        ),
      });
      expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(unknown)).toContain('input.reportingProviderId');
    });

    it('derives the layer from the type for every type of the taxonomy', async () => {
      // One report per layer here; updateBlocker walks all 26 types below.
      for (const type of ['CONSENT_REQUIRED', 'NO_AGREEMENT', 'GRANULARITY', 'NO_INTERFACE', 'FINANCING']) {
        const { blocker } = await reportOk(steward('CJIB'), { type, affectedNeedIds: [N.N14] });
        expect(blocker.layer).toBe(LAYER_OF[type]);
      }
    });

    it('accepts the boundaries: a title of 5 and of 200 characters, a description of 20,000', async () => {
      const short = await reportOk(steward('CJIB'), {
        title: 'Qwxyz',
        description: 'd'.repeat(20_000),
        affectedNeedIds: [N.N14],
      });
      expect(short.blocker.title).toBe('Qwxyz');
      expect(short.blocker.description).toHaveLength(20_000);
      const long = await reportOk(steward('CJIB'), { title: 'T'.repeat(200), affectedNeedIds: [N.N14] });
      expect(long.blocker.title).toHaveLength(200);
    });

    it('refuses invalid input with BAD_USER_INPUT naming each offending field, and stores nothing', async () => {
      const blockers = await blockerCount();
      const events = await auditCount();
      const unknownNeed = Buffer.from('DataNeed:00000000-0000-4000-8000-000000000000').toString('base64url');
      const unknownProvider = Buffer.from('Provider:00000000-0000-4000-8000-000000000000').toString(
        'base64url',
      );
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ title: 'Shrt', affectedNeedIds: [N.N14] }, 'input.title'],
        [{ title: 'x'.repeat(201), affectedNeedIds: [N.N14] }, 'input.title'],
        [{ description: 'd'.repeat(20_001), affectedNeedIds: [N.N14] }, 'input.description'],
        [{ affectedNeedIds: [] }, 'input.affectedNeedIds'],
        [{ affectedNeedIds: [unknownNeed] }, 'input.affectedNeedIds'],
        [{ affectedNeedIds: [N.N14, unknownNeed] }, 'input.affectedNeedIds'],
        [{ affectedNeedIds: [N.N14, N.N14] }, 'input.affectedNeedIds'],
        [
          { affectedNeedIds: [N.N14], impact: { peopleAffectedPerYear: -1 } },
          'input.impact.peopleAffectedPerYear',
        ],
        [
          { affectedNeedIds: [N.N14], impact: { businessesAffectedPerYear: -5 } },
          'input.impact.businessesAffectedPerYear',
        ],
        [{ affectedNeedIds: [N.N14], impact: { manualHoursPerYear: -1 } }, 'input.impact.manualHoursPerYear'],
        [{ affectedNeedIds: [N.N14], impact: { costPerYearEur: -100 } }, 'input.impact.costPerYearEur'],
        [{ affectedNeedIds: [N.N14], targetDate: 'next spring' }, 'input.targetDate'],
        [{ affectedNeedIds: [N.N14], targetDate: '2027-02-30' }, 'input.targetDate'],
        [{ affectedNeedIds: [N.N14], targetDate: '0000-01-01' }, 'input.targetDate'],
        [{ affectedNeedIds: [N.N14], ownerId: unknownProvider }, 'input.ownerId'],
        [{ affectedNeedIds: [N.N14], ownerId: N.N1 }, 'input.ownerId'],
        [{ affectedNeedIds: [N.N14], type: 'NOT_A_TYPE' }, 'input.type'],
        [{ affectedNeedIds: [N.N14], severity: undefined }, 'input.severity'],
        // A value that reads like an error message does not mislead.
        [
          { affectedNeedIds: [N.N14], title: 'Gap at "input.title"; odd', severity: undefined },
          'input.severity',
        ],
      ];
      for (const [input, field] of cases) {
        const res = await report(steward('CJIB'), input);
        expect({ input, code: codeOf(res) }).toEqual({ input, code: 'BAD_USER_INPUT' });
        expect({ input, fields: fieldsOf(res) }).toEqual({ input, fields: expect.arrayContaining([field]) });
        expect(fieldsOf(res).every((f) => f.startsWith('input.'))).toBe(true);
      }
      // Several faults at once are all named.
      const many = await report(steward('CJIB'), {
        title: 'abc',
        affectedNeedIds: [],
        impact: { manualHoursPerYear: -1 },
      });
      expect(fieldsOf(many)).toEqual(
        expect.arrayContaining(['input.title', 'input.affectedNeedIds', 'input.impact.manualHoursPerYear']),
      );
      expect(await blockerCount()).toBe(blockers);
      expect(await auditCount()).toBe(events);
    });

    it('offers open look-alikes as possible duplicates: same need and layer first, then similar titles', async () => {
      // KNP-1 (LEGAL) affects N1; KNP-2 (SEMANTIC) affects N1 with a title much like this one.
      const { blocker, possibleDuplicates } = await reportOk(steward('SVB'), {
        title: 'Polisadministratie gross wages versus AIO norm on net income',
        type: 'NO_LEGAL_BASIS',
        affectedNeedIds: [N.N1],
      });
      expect(possibleDuplicates.map((b: { key: string }) => b.key)).toEqual(['KNP-1', 'KNP-2']);
      expect(possibleDuplicates.map((b: { id: string }) => b.id)).not.toContain(blocker.id);

      // Asked for no more than their names, the duplicates are answered from the search's own rows:
      // the same blockers in the same order (the one just reported now first), with their real ID and
      // title.
      const names = await server.ok<any>(
        `mutation($input: ReportBlockerInput!) {
          reportBlocker(input: $input) { blocker { key } possibleDuplicates { __typename id key title } }
        }`,
        {
          input: {
            title: 'Polisadministratie gross wages versus AIO norm on net income',
            description: 'Described for the end-to-end test.',
            type: 'NO_LEGAL_BASIS',
            severity: 'MEDIUM',
            affectedNeedIds: [N.N1],
          },
        },
        steward('SVB'),
      );
      reportedKeys.push(names.reportBlocker.blocker.key);
      const named = names.reportBlocker.possibleDuplicates;
      expect(named.map((b: { key: string }) => b.key)).toEqual([blocker.key, 'KNP-1', 'KNP-2']);
      for (const b of named) {
        const full = await byKey(b.key);
        expect(b).toEqual({ __typename: 'Blocker', id: full.id, key: full.key, title: full.title });
      }
    });

    it('never offers a closed blocker or the new one itself as a duplicate', async () => {
      // KNP-5 (RESOLVED) affects N6 in the LEGAL layer and has this very title.
      const title = "Public creditors cannot see each other's seizures";
      const first = await reportOk(steward('CJIB'), {
        title,
        type: 'NO_LEGAL_BASIS',
        affectedNeedIds: [N.N6],
      });
      expect(first.possibleDuplicates).toEqual([]);
      const second = await reportOk(steward('CJIB'), {
        title,
        type: 'NO_LEGAL_BASIS',
        affectedNeedIds: [N.N6],
      });
      expect(second.possibleDuplicates.map((b: { key: string }) => b.key)).toEqual([first.blocker.key]);
      expect(second.possibleDuplicates.every((b: { status: string }) => b.status !== 'RESOLVED')).toBe(true);
    });

    it('takes keys from a sequence: a number taken by a failed insert is never handed out again', async () => {
      const last = numberOf(reportedKeys[reportedKeys.length - 1]);
      // A report that fails after the sequence handed out its number: the insert is rolled back.
      const client = await server.db.connect();
      let burnt: number;
      try {
        await client.query('BEGIN');
        const { rows } = await client.query(
          `INSERT INTO blocker (title, description, type, layer, severity, reporting_provider_id)
           VALUES ('Rolled back', 'never committed', 'NO_INTERFACE', 'TECHNICAL', 'LOW', $1) RETURNING number`,
          [localId(P.SVB)],
        );
        burnt = rows[0].number;
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
      expect(burnt).toBeGreaterThan(last);
      // Refused reports in between take no key either.
      expect(codeOf(await report(analyst, { affectedNeedIds: [N.N1] }))).toBe('FORBIDDEN');
      expect(codeOf(await report(steward('SVB'), { title: 'abc', affectedNeedIds: [N.N1] }))).toBe(
        'BAD_USER_INPUT',
      );
      const { blocker } = await reportOk(steward('SVB'), { affectedNeedIds: [N.N16] });
      expect(numberOf(blocker.key)).toBeGreaterThan(burnt);
      expect(await byKey(`KNP-${burnt}`)).toBeNull();
    });
  });

  // ------------------------------------------------------------------ blocker(id | key)

  describe('blocker(id | key)', () => {
    it('finds a blocker by key and by id, the same one', async () => {
      const byK = await byKey('KNP-3', analyst);
      expect(byK).toMatchObject({ key: 'KNP-3', type: 'CONFIDENTIALITY_DUTY', layer: 'LEGAL' });
      const byId = (
        await server.ok<any>(
          `query($id: ID) { blocker(id: $id) { ...B } } ${BLOCKER}`,
          { id: byK.id },
          analyst,
        )
      ).blocker;
      expect(byId).toEqual(byK);
    });

    it('answers null for a key or id that names no blocker', async () => {
      expect(await byKey('KNP-99999', analyst)).toBeNull();
      expect(await byKey('nonsense', analyst)).toBeNull();
      const unknown = Buffer.from('Blocker:00000000-0000-4000-8000-000000000000').toString('base64url');
      expect(
        (await server.ok<any>('query($id: ID) { blocker(id: $id) { id } }', { id: unknown }, analyst))
          .blocker,
      ).toBeNull();
    });

    it('wants exactly one of id and key', async () => {
      const one = await byKey('KNP-1', analyst);
      const both = await server.gql(
        'query($id: ID, $key: String) { blocker(id: $id, key: $key) { id } }',
        { id: one.id, key: 'KNP-1' },
        analyst,
      );
      expect(codeOf(both)).toBe('BAD_USER_INPUT');
      const neither = await server.gql('{ blocker { id } }', {}, analyst);
      expect(codeOf(neither)).toBe('BAD_USER_INPUT');
    });
  });

  // ------------------------------------------------------------------ the list

  describe('blockers list', () => {
    const LIST = `query($first: Int, $after: String, $filter: BlockerFilter, $orderBy: BlockerOrder) {
      blockers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor }
        nodes { ...B needs: affectedNeeds(first: 5) { nodes { id requester { id } supplier { id } dataset { id } } } }
      }
    } ${BLOCKER}`;
    let all: any[];
    let X: any;
    let datasetIds: Record<string, string>;

    const list = async (variables: Record<string, unknown>, bearer = steering): Promise<any> =>
      (await server.ok<any>(LIST, { first: 100, ...variables }, bearer)).blockers;
    const keysOf = (nodes: Array<{ key: string }>): string[] => nodes.map((n) => n.key);
    /** The same list with keys only, for answers that need no more. */
    const KEYS = `query($first: Int, $after: String, $filter: BlockerFilter, $orderBy: BlockerOrder) {
      blockers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor } nodes { key }
      }
    }`;
    const keyList = async (variables: Record<string, unknown>): Promise<any> =>
      (await server.ok<any>(KEYS, { first: 100, ...variables }, steering)).blockers;

    const decide = async (key: string, level: string, rank: number | null): Promise<void> => {
      const b = await byKey(key);
      await server.ok(
        `mutation($input: SteeringDecisionInput!) { recordSteeringDecision(input: $input) { id } }`,
        {
          input: {
            blockerId: b.id,
            expectedVersion: b.version,
            level,
            rank,
            rationale: 'Agenda for the test',
          },
        },
        steering,
      );
    };
    const endorse = async (key: string, by: string): Promise<void> => {
      const b = await byKey(key);
      await server.ok(
        'mutation($input: EndorseBlockerInput!) { endorseBlocker(input: $input) { id } }',
        { input: { blockerId: b.id, note: `affects ${by} too` } },
        steward(by),
      );
    };

    beforeAll(async () => {
      // Demo blockers were all reported seconds ago: spread them over the past, KNP-n 200 - 10n days
      // ago, with their status unchanged since.
      await server.db.query(
        `UPDATE blocker SET created_at = now() - make_interval(days => 200 - number * 10),
                            status_changed_at = now() - make_interval(days => 200 - number * 10)
         WHERE number <= 19`,
      );
      await endorse('KNP-8', 'KVK');
      await endorse('KNP-11', 'KVK');
      await endorse('KNP-11', 'UTRECHT');
      await decide('KNP-6', 'URGENT', 1);
      await decide('KNP-14', 'HIGH', 2);
      await decide('KNP-9', 'LOW', null);
      await decide('KNP-11', 'MEDIUM', 1);
      // Reported by CBS, owned by ZIN, on N14 (CJIB needs vehicle data from RDW).
      X = (
        await reportOk(admin, {
          affectedNeedIds: [N.N14],
          type: 'SECURITY',
          reportingProviderId: P.CBS,
          ownerId: P.ZIN,
        })
      ).blocker;
      const ds = await server.ok<any>(
        '{ datasets(first: 100) { nodes { id code holder { name } } } }',
        {},
        admin,
      );
      datasetIds = Object.fromEntries(ds.datasets.nodes.map((d: any) => [d.code, d.id]));
      all = (await list({})).nodes;
    });

    it('lists every blocker once, with a count', async () => {
      const page = await list({});
      expect(page.totalCount).toBe(all.length);
      expect(new Set(keysOf(page.nodes)).size).toBe(all.length);
      expect(all.length).toBe(await blockerCount());
      expect(keysOf(all)).toEqual(expect.arrayContaining(['KNP-1', 'KNP-19', ...reportedKeys]));
    });

    it('keeps agenda ranks unique: a new rank 1 moves the others down', async () => {
      const ranks = Object.fromEntries(
        all.filter((b) => b.priority.rank !== null).map((b) => [b.key, b.priority.rank]),
      );
      expect(ranks).toEqual({ 'KNP-11': 1, 'KNP-6': 2, 'KNP-14': 3 });
    });

    describe('filters', () => {
      const matches = (filter: Record<string, unknown>, pick: (b: any) => boolean) => ({ filter, pick });
      const involves = (b: any, provider: string): boolean =>
        b.reportingProvider.id === provider ||
        b.owner?.id === provider ||
        b.endorsements.some((e: any) => e.provider.id === provider) ||
        b.needs.nodes.some((n: any) => n.requester.id === provider || n.supplier.id === provider);
      const DAY = 86_400_000;

      it.each([
        [
          'status',
          () =>
            matches({ status: ['REPORTED', 'TRIAGED'] }, (b) => ['REPORTED', 'TRIAGED'].includes(b.status)),
        ],
        ['status (closed)', () => matches({ status: ['RESOLVED'] }, (b) => b.status === 'RESOLVED')],
        ['open: true', () => matches({ open: true }, (b) => b.open)],
        ['open: false', () => matches({ open: false }, (b) => !b.open)],
        ['layer', () => matches({ layer: ['LEGAL'] }, (b) => b.layer === 'LEGAL')],
        [
          'layers',
          () =>
            matches({ layer: ['SEMANTIC', 'GOVERNANCE'] }, (b) =>
              ['SEMANTIC', 'GOVERNANCE'].includes(b.layer),
            ),
        ],
        ['type', () => matches({ type: ['NO_LEGAL_BASIS'] }, (b) => b.type === 'NO_LEGAL_BASIS')],
        [
          'types',
          () =>
            matches({ type: ['DATA_QUALITY', 'FINANCING'] }, (b) =>
              ['DATA_QUALITY', 'FINANCING'].includes(b.type),
            ),
        ],
        ['severity', () => matches({ severity: ['CRITICAL'] }, (b) => b.severity === 'CRITICAL')],
        [
          'severities',
          () => matches({ severity: ['LOW', 'HIGH'] }, (b) => ['LOW', 'HIGH'].includes(b.severity)),
        ],
        ['providerId (reporting only)', () => matches({ providerId: P.CBS }, (b) => involves(b, P.CBS))],
        ['providerId (owning only)', () => matches({ providerId: P.ZIN }, (b) => involves(b, P.ZIN))],
        ['providerId (endorsing only)', () => matches({ providerId: P.KVK }, (b) => involves(b, P.KVK))],
        ['providerId (supplier only)', () => matches({ providerId: P.RDW }, (b) => involves(b, P.RDW))],
        ['providerId (every role)', () => matches({ providerId: P.CJIB }, (b) => involves(b, P.CJIB))],
        [
          'providerId (municipality)',
          () => matches({ providerId: P.UTRECHT }, (b) => involves(b, P.UTRECHT)),
        ],
        ['ownerId', () => matches({ ownerId: P.SZW }, (b) => b.owner?.id === P.SZW)],
        [
          'datasetId',
          () =>
            matches({ datasetId: datasetIds.POLIS }, (b) =>
              b.needs.nodes.some((n: any) => n.dataset?.id === datasetIds.POLIS),
            ),
        ],
        ['level', () => matches({ level: ['URGENT'] }, (b) => b.priority.level === 'URGENT')],
        [
          'levels',
          () => matches({ level: ['URGENT', 'HIGH'] }, (b) => ['URGENT', 'HIGH'].includes(b.priority.level)),
        ],
        [
          'createdAfter',
          () =>
            matches(
              { createdAfter: new Date(Date.now() - 95.5 * DAY).toISOString() },
              (b) => Date.parse(b.createdAt) >= Date.now() - 95.5 * DAY,
            ),
        ],
        [
          'createdBefore',
          () =>
            matches(
              { createdBefore: new Date(Date.now() - 95.5 * DAY).toISOString() },
              (b) => Date.parse(b.createdAt) < Date.now() - 95.5 * DAY,
            ),
        ],
        [
          'createdAfter and createdBefore',
          () =>
            matches(
              {
                createdAfter: new Date(Date.now() - 155.5 * DAY).toISOString(),
                createdBefore: new Date(Date.now() - 95.5 * DAY).toISOString(),
              },
              (b) =>
                Date.parse(b.createdAt) >= Date.now() - 155.5 * DAY &&
                Date.parse(b.createdAt) < Date.now() - 95.5 * DAY,
            ),
        ],
        [
          'staleForDays',
          () =>
            matches(
              { staleForDays: 90 },
              (b) => b.open && Date.parse(b.statusChangedAt) <= Date.now() - 90 * DAY,
            ),
        ],
        ['staleForDays (none that old)', () => matches({ staleForDays: 1000 }, () => false)],
        [
          'several at once',
          () =>
            matches(
              { open: true, layer: ['LEGAL', 'SEMANTIC'], severity: ['HIGH', 'CRITICAL'] },
              (b) =>
                b.open &&
                ['LEGAL', 'SEMANTIC'].includes(b.layer) &&
                ['HIGH', 'CRITICAL'].includes(b.severity),
            ),
        ],
      ])('%s', async (_name, make) => {
        const { filter, pick } = make();
        const expected = sortKeys(keysOf(all.filter(pick)));
        const page = await keyList({ filter });
        expect(sortKeys(keysOf(page.nodes))).toEqual(expected);
        expect(page.totalCount).toBe(expected.length);
        if (_name !== 'staleForDays (none that old)') expect(expected.length).toBeGreaterThan(0);
        expect(expected.length).toBeLessThan(all.length);
      });

      it('match what the reference data says', async () => {
        const keys = async (filter: Record<string, unknown>) =>
          sortKeys(keysOf((await keyList({ filter })).nodes));
        expect(await keys({ severity: ['CRITICAL'] })).toEqual(expect.arrayContaining(['KNP-1', 'KNP-5']));
        expect(await keys({ providerId: P.CBS })).toEqual([X.key]);
        expect(await keys({ providerId: P.ZIN })).toEqual([X.key]);
        expect(await keys({ providerId: P.KVK })).toEqual(['KNP-8', 'KNP-11']);
        expect(await keys({ providerId: P.RDW })).toEqual(expect.arrayContaining([X.key]));
        expect(await keys({ providerId: P.CJIB })).toEqual(
          expect.arrayContaining(['KNP-5', 'KNP-6', 'KNP-12', X.key]),
        );
        expect(await keys({ ownerId: P.SZW })).toEqual([
          'KNP-1',
          'KNP-6',
          'KNP-7',
          'KNP-14',
          'KNP-16',
          'KNP-17',
        ]);
        expect(await keys({ ownerId: P.ZIN })).toEqual([X.key]);
        expect(await keys({ datasetId: datasetIds.POLIS })).toEqual(
          expect.arrayContaining(['KNP-1', 'KNP-2', 'KNP-7', 'KNP-13', 'KNP-14']),
        );
        expect(await keys({ level: ['URGENT'] })).toEqual(['KNP-6']);
        expect(await keys({ level: ['URGENT', 'HIGH'] })).toEqual(['KNP-6', 'KNP-14']);
        expect(await keys({ status: ['REJECTED'] })).toEqual(['KNP-7']);
        // KNP-1 is open and unchanged for 190 days; KNP-5 is closed; KNP-6 just moved to PRIORITISED.
        const stale = await keys({ staleForDays: 90 });
        expect(stale).toContain('KNP-1');
        expect(stale).not.toContain('KNP-5');
        expect(stale).not.toContain('KNP-6');
        // Created 150 and 140 days ago (KNP-5, KNP-6), between 155.5 and 135.5 days ago.
        const DAY = 86_400_000;
        expect(
          await keys({
            createdAfter: new Date(Date.now() - 155.5 * DAY).toISOString(),
            createdBefore: new Date(Date.now() - 135.5 * DAY).toISOString(),
          }),
        ).toEqual(['KNP-5', 'KNP-6']);
      });
    });

    describe('orders', () => {
      const ORDERED = `query($orderBy: BlockerOrder) { blockers(first: 100, orderBy: $orderBy) { nodes {
        id key severity daysOpen createdAt updatedAt priority { score rank } endorsements { createdAt }
      } } }`;
      type Key = (b: any) => number;
      const ORDER_KEYS: Record<string, { key: Key; exact: boolean }> = {
        PRIORITY: { key: (b) => b.priority.score, exact: true },
        RANK: { key: (b) => b.priority.rank ?? 2147483647, exact: true },
        CREATED_AT: { key: (b) => Date.parse(b.createdAt), exact: false },
        UPDATED_AT: { key: (b) => Date.parse(b.updatedAt), exact: false },
        SEVERITY: { key: (b) => SEVERITY_RANK[b.severity], exact: true },
        DAYS_OPEN: { key: (b) => b.daysOpen, exact: false },
        ENDORSEMENTS: { key: (b) => b.endorsements.length, exact: true },
      };
      const cases = Object.keys(ORDER_KEYS).flatMap((field) =>
        ['DESC', 'ASC'].map((direction) => [field, direction] as const),
      );

      /** Sorted by the key in the direction; ties by id in the same direction where the key is exact. */
      const expectOrdered = (nodes: any[], field: string, direction: string): void => {
        const { key, exact } = ORDER_KEYS[field];
        const sign = direction === 'ASC' ? 1 : -1;
        for (let i = 1; i < nodes.length; i++) {
          const a = nodes[i - 1];
          const b = nodes[i];
          const cmp = sign * (key(b) - key(a));
          const context = { field, direction, a: a.key, b: b.key, ka: key(a), kb: key(b) };
          expect({ ...context, inOrder: cmp >= 0 }).toEqual({ ...context, inOrder: true });
          if (exact && cmp === 0) {
            const ids = sign * (localId(b.id) > localId(a.id) ? 1 : -1);
            expect({ ...context, tieByIdInOrder: ids > 0 }).toEqual({ ...context, tieByIdInOrder: true });
          }
        }
      };

      it.each(cases)('%s %s', async (field, direction) => {
        const page = (await server.ok<any>(ORDERED, { orderBy: { field, direction } }, steering)).blockers;
        expect(page.nodes).toHaveLength(all.length);
        expectOrdered(page.nodes, field, direction);
        // The order is not trivially the same for every field: the values differ.
        expect(new Set(page.nodes.map(ORDER_KEYS[field].key)).size).toBeGreaterThan(1);
      });

      it('puts what the data says first', async () => {
        const first = async (field: string, direction: string, n = 1) =>
          keysOf((await keyList({ orderBy: { field, direction }, first: n })).nodes);
        const top = [...all].sort((a, b) => b.priority.score - a.priority.score)[0];
        expect(await first('PRIORITY', 'DESC')).toEqual([top.key]);
        expect(await first('RANK', 'ASC', 3)).toEqual(['KNP-11', 'KNP-6', 'KNP-14']);
        expect((await first('RANK', 'DESC', all.length)).slice(-3)).toEqual(['KNP-14', 'KNP-6', 'KNP-11']);
        expect(await first('ENDORSEMENTS', 'DESC', 2)).toEqual(['KNP-11', 'KNP-8']);
        expect(await first('CREATED_AT', 'ASC', 2)).toEqual(['KNP-1', 'KNP-2']);
        expect(await first('DAYS_OPEN', 'DESC')).toEqual(['KNP-1']);
        const critical = await first('SEVERITY', 'DESC', 2);
        expect(critical.sort()).toEqual(['KNP-1', 'KNP-5']);
        // The default order is PRIORITY descending.
        expect(keysOf((await keyList({})).nodes)).toEqual(
          keysOf((await keyList({ orderBy: { field: 'PRIORITY', direction: 'DESC' } })).nodes),
        );
      });
    });

    describe('keyset paging', () => {
      const walk = async (
        variables: Record<string, unknown>,
        pageSize: number,
        between?: (page: number) => Promise<void>,
      ): Promise<string[]> => {
        const keys: string[] = [];
        let after: string | null = null;
        for (let page = 0; page < 100; page++) {
          const res: any = await keyList({ ...variables, first: pageSize, after });
          expect(res.nodes.length).toBeLessThanOrEqual(pageSize);
          expect(res.pageInfo.hasPreviousPage).toBe(after !== null);
          expect(res.pageInfo.endCursor).toBe(res.edges[res.edges.length - 1]?.cursor ?? null);
          keys.push(...keysOf(res.nodes));
          if (!res.pageInfo.hasNextPage) return keys;
          after = res.pageInfo.endCursor;
          if (between) await between(page);
        }
        throw new Error('paging did not end');
      };

      it.each([
        ['PRIORITY', 'DESC'],
        ['RANK', 'ASC'],
        ['RANK', 'DESC'],
        ['SEVERITY', 'DESC'],
        ['SEVERITY', 'ASC'],
        ['CREATED_AT', 'DESC'],
        ['UPDATED_AT', 'ASC'],
        ['DAYS_OPEN', 'DESC'],
        ['ENDORSEMENTS', 'DESC'],
        ['ENDORSEMENTS', 'ASC'],
      ])('walks %s %s page by page without repeats or skips', async (field, direction) => {
        const orderBy = { field, direction };
        const whole = keysOf((await keyList({ orderBy })).nodes);
        expect(await walk({ orderBy }, 5)).toEqual(whole);
      });

      it('walks a filtered list the same way', async () => {
        const variables = { filter: { open: true }, orderBy: { field: 'SEVERITY', direction: 'DESC' } };
        const whole = keysOf((await keyList(variables)).nodes);
        expect(whole.length).toBeGreaterThan(6);
        expect(await walk(variables, 3)).toEqual(whole);
      });

      it('misses and repeats nothing that was there when a report lands mid-walk', async () => {
        const orderBy = { field: 'CREATED_AT', direction: 'DESC' };
        const before = keysOf((await keyList({ orderBy })).nodes);
        let added: string | null = null;
        const walked = await walk({ orderBy }, 5, async (page) => {
          if (page === 1) added = (await reportOk(steward('SVB'), { affectedNeedIds: [N.N20] })).blocker.key;
        });
        expect(added).not.toBeNull();
        expect(new Set(walked).size).toBe(walked.length);
        expect(walked).toEqual(before);
      });

      it('refuses a cursor of another order', async () => {
        const page = await keyList({ orderBy: { field: 'PRIORITY', direction: 'DESC' }, first: 2 });
        const res = await server.gql(
          LIST,
          { first: 2, after: page.pageInfo.endCursor, orderBy: { field: 'SEVERITY', direction: 'DESC' } },
          steering,
        );
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
      });
    });
  });

  // ------------------------------------------------------------------ updateBlocker

  describe('updateBlocker', () => {
    let U: any;

    const update = (bearer: string, input: Record<string, unknown>) =>
      server.gql(UPDATE, { input: { id: U.id, expectedVersion: U.version, ...input } }, bearer);
    const updateOk = async (bearer: string, input: Record<string, unknown>): Promise<any> => {
      const res = await update(bearer, input);
      if (res.errors) throw new Error(`updateBlocker failed: ${JSON.stringify(res.errors)}`);
      const saved = res.data!.updateBlocker;
      expect(saved.version).toBe(U.version + 1);
      U = saved;
      return saved;
    };
    const row = async (id: string) =>
      (await server.db.query('SELECT row_to_json(b) AS r FROM blocker b WHERE id = $1', [localId(id)]))
        .rows[0].r;

    beforeAll(async () => {
      // Reported by SVB, owned by DUO, on N2 (SVB needs income data from the Belastingdienst).
      U = (await reportOk(steward('SVB'), { affectedNeedIds: [N.N2], ownerId: P.DUO, type: 'NO_INTERFACE' }))
        .blocker;
    });

    it('lets stewards of the reporting and owning provider, STEERING and ADMIN update, one version each', async () => {
      expect(U.version).toBe(1);
      await updateOk(steward('SVB'), { title: 'Gap changed by the reporter' });
      await updateOk(steward('DUO'), { severity: 'HIGH' });
      await updateOk(steering, { perceived: true });
      await updateOk(admin, { legalReference: 'AWR art. 67' });
      expect(U).toMatchObject({
        version: 5,
        title: 'Gap changed by the reporter',
        severity: 'HIGH',
        perceived: true,
        legalReference: 'AWR art. 67',
      });
    });

    it('refuses everyone else with FORBIDDEN and changes nothing', async () => {
      const before = await row(U.id);
      const events = await auditCount();
      // BD supplies the affected need: it sees the blocker but neither reported nor owns it.
      for (const bearer of [steward('BD'), steward('UTRECHT'), steward('UWV'), analyst]) {
        const res = await update(bearer, { title: 'Gap hijacked by someone else' });
        expect(codeOf(res)).toBe('FORBIDDEN');
      }
      expect(await row(U.id)).toEqual(before);
      expect(await auditCount()).toBe(events);
    });

    it('refuses a stale expectedVersion with CONFLICT, changing nothing and recording nothing', async () => {
      const before = await row(U.id);
      const events = await auditCount();
      const res = await server.gql(
        UPDATE,
        { input: { id: U.id, expectedVersion: U.version - 1, title: 'Gap from a stale form' } },
        steering,
      );
      expect(codeOf(res)).toBe('CONFLICT');
      expect(res.data?.updateBlocker ?? null).toBeNull();
      expect(await row(U.id)).toEqual(before);
      expect(await auditCount()).toBe(events);
      // A version from the future is just as stale.
      expect(
        codeOf(
          await server.gql(
            UPDATE,
            { input: { id: U.id, expectedVersion: U.version + 1, title: 'Gap future' } },
            steering,
          ),
        ),
      ).toBe('CONFLICT');
      expect(await row(U.id)).toEqual(before);
    });

    it('moves the layer with the type, through every type of the taxonomy', async () => {
      const light =
        'mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { version type layer } }';
      for (const type of Object.keys(LAYER_OF).reverse()) {
        const saved = (
          await server.ok<any>(light, { input: { id: U.id, expectedVersion: U.version, type } }, steering)
        ).updateBlocker;
        expect(saved).toEqual({ version: U.version + 1, type, layer: LAYER_OF[type] });
        U = { ...U, ...saved };
      }
      U = await byKey(U.key);
      expect(U).toMatchObject({ type: 'NO_LEGAL_BASIS', layer: 'LEGAL' });
      const event = await lastEvent(U.id);
      expect(event.changes).toEqual(
        expect.arrayContaining([{ field: 'type', from: 'PURPOSE_LIMITATION', to: 'NO_LEGAL_BASIS' }]),
      );
    });

    it('records blocker.updated with each changed field from and to', async () => {
      const from = { ...U };
      const events = await auditCount();
      await updateOk(steward('DUO'), {
        title: 'Gap income test data missing',
        type: 'DEFINITION_MISMATCH',
        severity: 'LOW',
        ownerId: P.FIN,
        impact: { manualHoursPerYear: 750 },
        targetDate: '2028-01-15',
        effort: 'L',
      });
      expect(await auditCount()).toBe(events + 1);
      const event = await lastEvent(U.id);
      expect(event.action).toBe('blocker.updated');
      expect(event.actor).toEqual({ name: 'Steward DUO' });
      const changes = Object.fromEntries(
        event.changes.map((c: any) => [c.field, { from: c.from, to: c.to }]),
      );
      expect(changes).toEqual({
        title: { from: from.title, to: 'Gap income test data missing' },
        type: { from: from.type, to: 'DEFINITION_MISMATCH' },
        layer: { from: from.layer, to: 'SEMANTIC' },
        severity: { from: 'HIGH', to: 'LOW' },
        owner: { from: P.DUO, to: P.FIN },
        manualHoursPerYear: { from: null, to: 750 },
        targetDate: { from: null, to: '2028-01-15' },
        effort: { from: null, to: 'L' },
      });
      expect(U).toMatchObject({
        layer: 'SEMANTIC',
        owner: { id: P.FIN },
        impact: { manualHoursPerYear: 750, peopleAffectedPerYear: null },
        targetDate: '2028-01-15',
        effort: 'L',
      });
    });

    it('clears nullable fields with null and leaves omitted ones alone', async () => {
      await updateOk(steering, { legalReference: null, targetDate: null, ownerId: null, title: null });
      expect(U).toMatchObject({
        legalReference: null,
        targetDate: null,
        owner: null,
        title: 'Gap income test data missing',
      });
      const changes = (await lastEvent(U.id)).changes.map((c: any) => c.field).sort();
      expect(changes).toEqual(['legalReference', 'owner', 'targetDate']);
      // Without an owner, the former owner's steward may no longer update it.
      expect(codeOf(await update(steward('FIN'), { severity: 'MEDIUM' }))).toBe('FORBIDDEN');
    });

    it('changes nothing, not even the version, when nothing differs', async () => {
      const events = await auditCount();
      const res = await server.ok<any>(
        UPDATE,
        { input: { id: U.id, expectedVersion: U.version, severity: U.severity, title: U.title } },
        steering,
      );
      expect(res.updateBlocker.version).toBe(U.version);
      expect(await auditCount()).toBe(events);
    });

    it('validates its input like a report', async () => {
      const before = await row(U.id);
      const unknownProvider = Buffer.from('Provider:00000000-0000-4000-8000-000000000000').toString(
        'base64url',
      );
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ title: 'abc' }, 'input.title'],
        [{ description: 'd'.repeat(20_001) }, 'input.description'],
        [{ impact: { costPerYearEur: -1 } }, 'input.impact.costPerYearEur'],
        [{ targetDate: '2027-13-01' }, 'input.targetDate'],
        [{ ownerId: unknownProvider }, 'input.ownerId'],
      ];
      for (const [input, field] of cases) {
        const res = await update(steering, input);
        expect({ input, code: codeOf(res) }).toEqual({ input, code: 'BAD_USER_INPUT' });
        expect({ input, fields: fieldsOf(res) }).toEqual({ input, fields: expect.arrayContaining([field]) });
      }
      expect(await row(U.id)).toEqual(before);
    });

    it('answers NOT_FOUND for an unknown blocker', async () => {
      const unknown = Buffer.from('Blocker:00000000-0000-4000-8000-000000000000').toString('base64url');
      const res = await server.gql(
        UPDATE,
        { input: { id: unknown, expectedVersion: 1, title: 'Gap nowhere' } },
        steering,
      );
      expect(codeOf(res)).toBe('NOT_FOUND');
    });
  });

  // ------------------------------------------------------------------ affected needs

  describe('linkAffectedNeed and unlinkAffectedNeed', () => {
    let L: any;
    const needsOf = (b: any): string[] => b.affectedNeeds.nodes.map((n: { id: string }) => n.id).sort();

    beforeAll(async () => {
      // Reported by DENHAAG on N17 (Den Haag needs AOW data from SVB), owned by BZK.
      L = (await reportOk(steward('DENHAAG'), { affectedNeedIds: [N.N17], ownerId: P.BZK })).blocker;
    });

    it('links and unlinks needs for the reporting and owning stewards, STEERING and ADMIN', async () => {
      let version = L.version;
      const steps: Array<[string, string, string, string[]]> = [
        [LINK, steward('DENHAAG'), N.N14, [N.N17, N.N14]],
        [LINK, steward('BZK'), N.N10, [N.N17, N.N14, N.N10]],
        [UNLINK, steering, N.N14, [N.N17, N.N10]],
        [LINK, admin, N.N13, [N.N17, N.N10, N.N13]],
        [UNLINK, steward('BZK'), N.N10, [N.N17, N.N13]],
        [UNLINK, steward('DENHAAG'), N.N17, [N.N13]],
      ];
      for (const [mutation, bearer, needId, expected] of steps) {
        const res = await server.ok<any>(mutation, { input: { blockerId: L.id, needId } }, bearer);
        const saved = res.linkAffectedNeed ?? res.unlinkAffectedNeed;
        expect(needsOf(saved)).toEqual([...expected].sort());
        expect(saved.version).toBe(version + 1);
        version = saved.version;
        const event = await lastEvent(L.id);
        expect(event.action).toBe(mutation === LINK ? 'blocker.need_linked' : 'blocker.need_unlinked');
        expect(event.changes).toEqual([
          mutation === LINK
            ? { field: 'affectedNeeds', from: null, to: needId }
            : { field: 'affectedNeeds', from: needId, to: null },
        ]);
        L = saved;
      }
    });

    it('refuses stewards who neither reported nor own it, and analysts', async () => {
      const events = await auditCount();
      // COA requests N13, so it sees the blocker, but may not change its needs.
      for (const bearer of [steward('COA'), steward('IND'), steward('UTRECHT'), analyst]) {
        expect(codeOf(await server.gql(LINK, { input: { blockerId: L.id, needId: N.N14 } }, bearer))).toBe(
          'FORBIDDEN',
        );
        expect(codeOf(await server.gql(UNLINK, { input: { blockerId: L.id, needId: N.N13 } }, bearer))).toBe(
          'FORBIDDEN',
        );
      }
      expect(await auditCount()).toBe(events);
      expect(needsOf(await byKey(L.key))).toEqual([N.N13]);
    });

    it('refuses to link a need twice, to unlink the last need or one that is not linked', async () => {
      const events = await auditCount();
      const twice = await server.gql(LINK, { input: { blockerId: L.id, needId: N.N13 } }, steering);
      expect(codeOf(twice)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(twice)).toEqual(['input.needId']);
      const last = await server.gql(UNLINK, { input: { blockerId: L.id, needId: N.N13 } }, steering);
      expect(codeOf(last)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(last)).toEqual(['input.needId']);
      const notLinked = await server.gql(UNLINK, { input: { blockerId: L.id, needId: N.N1 } }, steering);
      expect(codeOf(notLinked)).toBe('BAD_USER_INPUT');
      const unknownNeed = Buffer.from('DataNeed:00000000-0000-4000-8000-000000000000').toString('base64url');
      const unknown = await server.gql(LINK, { input: { blockerId: L.id, needId: unknownNeed } }, steering);
      expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(unknown)).toEqual(['input.needId']);
      expect(await auditCount()).toBe(events);
      const now = await byKey(L.key);
      expect(needsOf(now)).toEqual([N.N13]);
      expect(now.version).toBe(L.version);
    });
  });

  // ------------------------------------------------------------------ comments

  describe('comments', () => {
    const ADD =
      'mutation($input: AddCommentInput!) { addComment(input: $input) { id body createdAt author { name } } }';
    const COMMENTS = `query($key: String, $first: Int, $after: String) { blocker(key: $key) {
      comments(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id body author { name } } }
    } }`;
    let C: any;

    beforeAll(async () => {
      C = (await reportOk(steward('TILBURG'), { affectedNeedIds: [N.N22] })).blocker;
    });

    it('lets stewards who can see the blocker, STEERING and ADMIN comment, oldest first', async () => {
      const authors = [steward('TILBURG'), steward('BD'), steward('UTRECHT'), steering, admin];
      const ids: string[] = [];
      for (const [i, bearer] of authors.entries()) {
        const events = await auditCount();
        const res = await server.ok<any>(ADD, { input: { blockerId: C.id, body: `Remark ${i}` } }, bearer);
        expect(res.addComment.body).toBe(`Remark ${i}`);
        ids.push(res.addComment.id);
        expect(await auditCount()).toBe(events + 1);
        expect(await lastEvent(C.id)).toMatchObject({ action: 'comment.added' });
      }
      const data = await server.ok<any>(COMMENTS, { key: C.key, first: 50 }, analyst);
      expect(data.blocker.comments.totalCount).toBe(5);
      expect(data.blocker.comments.nodes).toEqual(
        ids.map((id, i) => ({
          id,
          body: `Remark ${i}`,
          author: {
            name: ['Steward TILBURG', 'Steward BD', 'Steward UTRECHT', 'Stella Steering', 'Ada Admin'][i],
          },
        })),
      );
      // Paged two at a time, the same comments in the same order.
      const paged: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: any = (await server.ok<any>(COMMENTS, { key: C.key, first: 2, after }, analyst)).blocker
          .comments;
        paged.push(...page.nodes.map((n: { id: string }) => n.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(paged).toEqual(ids);
    });

    it('refuses analysts with FORBIDDEN and an empty body with BAD_USER_INPUT', async () => {
      const events = await auditCount();
      expect(
        codeOf(await server.gql(ADD, { input: { blockerId: C.id, body: 'Analysts read' } }, analyst)),
      ).toBe('FORBIDDEN');
      const empty = await server.gql(ADD, { input: { blockerId: C.id, body: '' } }, steering);
      expect(codeOf(empty)).toBe('BAD_USER_INPUT');
      expect(fieldsOf(empty)).toContain('input.body');
      expect(await auditCount()).toBe(events);
      const unknown = Buffer.from('Blocker:00000000-0000-4000-8000-000000000000').toString('base64url');
      expect(
        codeOf(await server.gql(ADD, { input: { blockerId: unknown, body: 'Anyone?' } }, steering)),
      ).toBe('NOT_FOUND');
      expect((await server.ok<any>(COMMENTS, { key: C.key }, steering)).blocker.comments.totalCount).toBe(5);
    });
  });

  // ------------------------------------------------------------------ derived need state

  describe('need state', () => {
    const NEED_BLOCKERS = `query($id: ID!) { node(id: $id) { ... on DataNeed { state
      all: blockers { key } open: blockers(open: true) { key } closed: blockers(open: false) { key } } } }`;
    const dbState = async (needKey: string): Promise<string> =>
      (await server.db.query('SELECT state FROM data_need WHERE id = $1', [localId(N[needKey])])).rows[0]
        .state;
    const transition = async (b: any, bearer: string, to: string, reason?: string): Promise<any> =>
      (
        await server.ok<any>(
          TRANSITION,
          { input: { id: b.id, expectedVersion: b.version, to, reason } },
          bearer,
        )
      ).transitionBlocker;
    const expectState = async (needKey: string, state: string): Promise<void> => {
      expect({ needKey, api: await needState(needKey), db: await dbState(needKey) }).toEqual({
        needKey,
        api: state,
        db: state,
      });
    };

    it('is BLOCKED exactly while an open blocker affects the need', async () => {
      // N9: Utrecht <- UWV; its only demo blocker (KNP-7) is REJECTED, and a report above linked it
      // together with N1. Start from a need nothing open blocks: N16 (KNP-17 is RESOLVED).
      await expectState('N16', 'BLOCKED'); // the sequence test above reported on N16
      const [onN16] = (await server.ok<any>(NEED_BLOCKERS, { id: N.N16 }, steering)).node.open;
      let s0 = await byKey(onN16.key);
      s0 = await transition(s0, steering, 'REJECTED', 'Out of scope for the test');
      await expectState('N16', 'REQUESTED');

      // Report: blocked.
      let S = (await reportOk(steward('SVB'), { affectedNeedIds: [N.N16] })).blocker;
      await expectState('N16', 'BLOCKED');
      const view = (await server.ok<any>(NEED_BLOCKERS, { id: N.N16 }, analyst)).node;
      expect(view.open.map((b: any) => b.key)).toEqual([S.key]);
      expect(view.all.map((b: any) => b.key)).toEqual(expect.arrayContaining(['KNP-17', s0.key, S.key]));
      expect(view.closed.map((b: any) => b.key)).toEqual(expect.arrayContaining(['KNP-17', s0.key]));
      expect(view.closed.map((b: any) => b.key)).not.toContain(S.key);

      // Link: the newly linked need is blocked; unlink: it is requested again.
      const declared = await server.ok<any>(
        `mutation($input: DeclareDataNeedInput!) { declareDataNeed(input: $input) { id state } }`,
        { input: { supplierId: P.CBS, dataElements: ['household composition'], purpose: 'Need-state test' } },
        steward('SVB'),
      );
      const fresh = declared.declareDataNeed.id as string;
      N.FRESH = fresh;
      expect(declared.declareDataNeed.state).toBe('REQUESTED');
      S = (await server.ok<any>(LINK, { input: { blockerId: S.id, needId: fresh } }, steering))
        .linkAffectedNeed;
      await expectState('FRESH', 'BLOCKED');
      S = (await server.ok<any>(UNLINK, { input: { blockerId: S.id, needId: fresh } }, steering))
        .unlinkAffectedNeed;
      await expectState('FRESH', 'REQUESTED');
      await expectState('N16', 'BLOCKED');

      // Closing frees it; reopening (STEERING, with a reason) blocks it again.
      S = await transition(S, steering, 'REJECTED', 'Not a data-exchange problem');
      await expectState('N16', 'REQUESTED');
      const noReason = await server.gql(
        TRANSITION,
        { input: { id: S.id, expectedVersion: S.version, to: 'TRIAGED' } },
        steering,
      );
      expect(codeOf(noReason)).toBe('BAD_USER_INPUT');
      await expectState('N16', 'REQUESTED');
      S = await transition(S, steering, 'TRIAGED', 'New facts from SVB');
      expect(S.status).toBe('TRIAGED');
      await expectState('N16', 'BLOCKED');
      S = await transition(S, steward('SVB'), 'WITHDRAWN', 'Solved bilaterally');
      await expectState('N16', 'REQUESTED');
      const reopened = await transition(S, steering, 'TRIAGED', 'The bilateral fix did not hold');
      expect(reopened).toMatchObject({ status: 'TRIAGED', open: true });
      await expectState('N16', 'BLOCKED');
    });

    it('stays BLOCKED until the last open blocker on the need closes', async () => {
      const A = (await reportOk(steward('RVO'), { affectedNeedIds: [N.N12] })).blocker; // KNP-10 also open on N12
      const demo = await byKey('KNP-10');
      await expectState('N12', 'BLOCKED');
      await transition(A, steering, 'REJECTED', 'Same as KNP-10');
      await expectState('N12', 'BLOCKED');
      await transition(demo, steward('RVO'), 'WITHDRAWN', 'RVO found another way');
      await expectState('N12', 'REQUESTED');
    });
  });

  it('handed out keys KNP-20 upwards, rising and never twice', () => {
    expect(reportedKeys[0]).toBe('KNP-20');
    const numbers = reportedKeys.map(numberOf);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBeGreaterThan(numbers[i - 1]);
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});
