/**
 * Steering decisions (recordSteeringDecision): who may record them, what is stored, and the agenda:
 * ranks unique among open blockers and gapless 1..n whatever the order of inserts, moves, removals,
 * closings and parallel requests. The agenda is read both through the API and from the database.
 */
import { codeOf, GraphQLResponse, TestServer } from './support/server';
import { BlockerRef, expectCode, expectOk, localId, prng, World } from './support/graph-fixtures';

const DECIDE = `mutation Decide($input: SteeringDecisionInput!) {
  recordSteeringDecision(input: $input) {
    id key status version priority { level rank rationale decidedAt score }
  }
}`;

type Level = 'URGENT' | 'HIGH' | 'MEDIUM' | 'LOW';

describe('steering decisions and the agenda', () => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    w = await World.load(server);
  });
  afterAll(async () => server?.stop());

  async function decide(
    b: BlockerRef,
    rank: number | null | undefined,
    options: { level?: Level; rationale?: string; bearer?: string; expectedVersion?: number } = {},
  ): Promise<GraphQLResponse<any>> {
    const input: Record<string, unknown> = {
      blockerId: b.id,
      expectedVersion: options.expectedVersion ?? (await w.version(b.id)),
      level: options.level ?? 'HIGH',
      rationale: options.rationale ?? `Besluit stuurgroep over ${b.key}`,
    };
    if (rank !== undefined) input.rank = rank;
    return server.gql(DECIDE, { input }, options.bearer ?? w.steering);
  }

  /** The agenda from the database: ids of open blockers by rank, after checking ranks are 1..n. */
  async function storedAgenda(): Promise<string[]> {
    const { rows } = await server.db.query<{ id: string; rank: number; status: string }>(
      'SELECT id, priority_rank AS rank, status FROM blocker WHERE priority_rank IS NOT NULL ORDER BY priority_rank',
    );
    expect(rows.map((r) => r.rank)).toEqual(rows.map((_, i) => i + 1));
    for (const r of rows)
      expect(['REPORTED', 'TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'ESCALATED']).toContain(r.status);
    await expectRanksInHistory(rows.length);
    return rows.map((r) => r.id);
  }

  /**
   * Every rank a blocker has, and every rank it lost, is in its own history: the newest priorityRank
   * change of each blocker ever ranked ends where the blocker stands now (shifts by other blockers'
   * decisions and closings included), and no event records a move that did not happen.
   */
  async function expectRanksInHistory(ranked: number): Promise<void> {
    const { rows } = await server.db.query<{
      number: number;
      rank: number | null;
      last: unknown;
      noop: number;
    }>(
      `SELECT b.number, b.priority_rank AS rank,
              (SELECT c.value->'to' FROM audit_event e CROSS JOIN jsonb_array_elements(e.changes::jsonb) c
                WHERE e.blocker_id = b.id AND c.value->>'field' = 'priorityRank'
                ORDER BY e.chain_seq DESC LIMIT 1) AS last,
              (SELECT count(*)::int FROM audit_event e CROSS JOIN jsonb_array_elements(e.changes::jsonb) c
                WHERE e.blocker_id = b.id AND c.value->>'field' = 'priorityRank'
                  AND c.value->'from' = c.value->'to') AS noop
         FROM blocker b
        WHERE EXISTS (SELECT 1 FROM audit_event e CROSS JOIN jsonb_array_elements(e.changes::jsonb) c
                       WHERE e.blocker_id = b.id AND c.value->>'field' = 'priorityRank')
        ORDER BY b.number`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(ranked);
    expect(rows.map((r) => ({ key: r.number, rank: r.last, noop: r.noop }))).toEqual(
      rows.map((r) => ({ key: r.number, rank: r.rank, noop: 0 })),
    );
  }

  /** The agenda through the API (order RANK, open only), checked against the database. */
  async function agenda(): Promise<string[]> {
    const data = await server.ok<any>(
      `{ blockers(first: 100, filter: { open: true }, orderBy: { field: RANK, direction: ASC }) {
           nodes { id priority { rank } } } }`,
      {},
      w.admin,
    );
    const ranked = data.blockers.nodes.filter((b: any) => b.priority.rank !== null);
    expect(ranked.map((b: any) => b.priority.rank)).toEqual(ranked.map((_: unknown, i: number) => i + 1));
    // Unranked ones come after the ranked ones.
    const firstUnranked = data.blockers.nodes.findIndex((b: any) => b.priority.rank === null);
    if (firstUnranked >= 0) expect(firstUnranked).toBe(ranked.length);
    const ids = ranked.map((b: any) => b.id as string);
    expect(await storedAgenda()).toEqual(ids.map(localId));
    return ids;
  }

  /** Take every blocker off the agenda, so a test starts from an empty one. */
  async function clearAgenda(): Promise<void> {
    const { rows } = await server.db.query<{ number: number }>(
      'SELECT number FROM blocker WHERE priority_rank IS NOT NULL ORDER BY priority_rank DESC',
    );
    for (const r of rows) {
      const data = await server.ok<{ blocker: BlockerRef }>(
        'query($key: String!) { blocker(key: $key) { id key } }',
        { key: `KNP-${r.number}` },
        w.admin,
      );
      expectOk(await decide(data.blocker, null));
    }
    expect(await agenda()).toEqual([]);
  }

  const ids = (list: BlockerRef[]): string[] => list.map((b) => b.id);

  describe('who may decide', () => {
    let b: BlockerRef;
    beforeAll(async () => {
      const need = await w.declareNeed('SVB', 'UWV');
      b = await w.report({ needIds: [need], bearer: w.steward('SVB'), owner: 'FIN' });
    });

    it.each([
      ['a steward of the reporting provider', () => w.steward('SVB')],
      ['a steward of the owning provider', () => w.steward('FIN')],
      ['an ANALYST', () => w.analyst],
    ])('refuses %s (FORBIDDEN) and writes nothing', async (_who, bearer) => {
      const before = await w.get(b.id, 'version priority { level rank rationale decidedAt }');
      expectCode(await decide(b, 1, { bearer: bearer() }), 'FORBIDDEN');
      expect(await w.get(b.id, 'version priority { level rank rationale decidedAt }')).toEqual(before);
    });

    it.each([
      ['STEERING', () => w.steering],
      ['ADMIN', () => w.admin],
    ])('lets %s decide', async (_who, bearer) => {
      const res = expectOk(await decide(b, null, { bearer: bearer(), level: 'LOW' }));
      expect(res.recordSteeringDecision.priority.level).toBe('LOW');
    });

    it('refuses anonymous callers', async () => {
      expectCode(
        await server.gql(DECIDE, {
          input: { blockerId: b.id, expectedVersion: 1, level: 'LOW', rationale: 'Zonder token' },
        }),
        'UNAUTHENTICATED',
      );
    });

    it('requires a rationale (BAD_USER_INPUT) and writes nothing', async () => {
      const before = await w.get(b.id, 'version priority { level rank rationale decidedAt }');
      for (const rationale of ['', '   ', '\n\t  \n', ' '.repeat(12)]) {
        const ext = expectCode(await decide(b, 1, { rationale, level: 'URGENT' }), 'BAD_USER_INPUT');
        expect(JSON.stringify(ext)).toContain('rationale');
      }
      // Left out altogether.
      const missing = await server.gql(
        DECIDE,
        { input: { blockerId: b.id, expectedVersion: before.version, level: 'URGENT', rank: 1 } },
        w.steering,
      );
      expect(codeOf(missing)).toBe('BAD_USER_INPUT');
      expect(await w.get(b.id, 'version priority { level rank rationale decidedAt }')).toEqual(before);
    });
  });

  it('refuses a rank below 1 (BAD_USER_INPUT)', async () => {
    const [b] = await w.blockers(1);
    for (const rank of [0, -1]) {
      const ext = expectCode(await decide(b, rank), 'BAD_USER_INPUT');
      expect(JSON.stringify(ext)).toContain('rank');
    }
    expect((await w.get(b.id, 'priority { rank level }')).priority).toEqual({ rank: null, level: null });
  });

  describe('what a decision stores', () => {
    it('stores level, rank, rationale and decidedAt, and moves TRIAGED to PRIORITISED', async () => {
      await clearAgenda();
      const [b] = await w.blockers(1);
      await w.moveTo(b.id, 'TRIAGED');
      const started = Date.now();
      const res = expectOk(
        await decide(b, 1, { level: 'URGENT', rationale: 'Raakt 51.000 huishoudens; eerst oplossen' }),
      ).recordSteeringDecision;
      expect(res.status).toBe('PRIORITISED');
      expect(res.priority).toMatchObject({
        level: 'URGENT',
        rank: 1,
        rationale: 'Raakt 51.000 huishoudens; eerst oplossen',
      });
      const decidedAt = new Date(res.priority.decidedAt).getTime();
      expect(decidedAt).toBeGreaterThanOrEqual(started - 5000);
      expect(decidedAt).toBeLessThanOrEqual(Date.now() + 5000);

      // Read back, and from the database.
      const view = await w.get(b.id, 'status priority { level rank rationale decidedAt score }');
      expect(view).toEqual({ status: 'PRIORITISED', priority: res.priority });
      const { rows } = await server.db.query(
        `SELECT status, priority_level, priority_rank, priority_rationale, priority_decided_at
         FROM blocker WHERE id = $1`,
        [localId(b.id)],
      );
      expect(rows[0]).toMatchObject({
        status: 'PRIORITISED',
        priority_level: 'URGENT',
        priority_rank: 1,
        priority_rationale: 'Raakt 51.000 huishoudens; eerst oplossen',
      });
      expect(new Date(rows[0].priority_decided_at).getTime()).toBe(decidedAt);

      // A later decision replaces level and rationale; the status stays.
      const later = expectOk(
        await decide(b, 1, { level: 'MEDIUM', rationale: 'Minder urgent na overleg' }),
      ).recordSteeringDecision;
      expect(later.status).toBe('PRIORITISED');
      expect(later.priority).toMatchObject({
        level: 'MEDIUM',
        rank: 1,
        rationale: 'Minder urgent na overleg',
      });
      expect(new Date(later.priority.decidedAt).getTime()).toBeGreaterThanOrEqual(decidedAt);
      expect(await agenda()).toEqual([b.id]);
      expectOk(await decide(b, null));
    });

    it.each(['IN_PROGRESS', 'ESCALATED', 'PRIORITISED'])('keeps the status %s', async (status) => {
      const [b] = await w.blockers(1);
      await w.moveTo(b.id, status);
      const res = expectOk(await decide(b, null, { level: 'LOW' })).recordSteeringDecision;
      expect(res.status).toBe(status);
    });

    it('records steering.decided with the changes and the rationale as reason', async () => {
      const [b] = await w.blockers(1);
      await w.moveTo(b.id, 'TRIAGED');
      await clearAgenda();
      expectOk(await decide(b, 1, { level: 'HIGH', rationale: 'Wetgeving nodig; agenderen' }));
      const [event] = await w.history(b.id);
      expect(event.action).toBe('steering.decided');
      expect(event.reason).toBe('Wetgeving nodig; agenderen');
      expect(event.actor).toEqual({ subject: 'test-steering-none' });
      const changes = Object.fromEntries(event.changes.map((c: any) => [c.field, [c.from, c.to]]));
      expect(changes).toMatchObject({
        priorityLevel: [null, 'HIGH'],
        priorityRank: [null, 1],
        priorityRationale: [null, 'Wetgeving nodig; agenderen'],
        status: ['TRIAGED', 'PRIORITISED'],
      });
      expectOk(await decide(b, null, { rationale: 'Van de agenda af' }));
      const [off] = await w.history(b.id);
      expect(off.action).toBe('steering.decided');
      expect(off.changes).toContainEqual({ field: 'priorityRank', from: 1, to: null });
    });

    it('refuses a stale expectedVersion (CONFLICT) and leaves the agenda and the blocker as they were', async () => {
      await clearAgenda();
      const list = await w.blockers(3);
      for (const b of list) expectOk(await decide(b, 99));
      const target = (await w.blockers(1))[0];
      const version = await w.version(target.id);
      expectOk(
        await w.server.gql(
          `mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { version } }`,
          { input: { id: target.id, expectedVersion: version, severity: 'HIGH' } },
          w.admin,
        ),
      );
      const before = await w.get(target.id, 'version priority { level rank rationale decidedAt }');
      const res = await decide(target, 1, { expectedVersion: version, level: 'URGENT' });
      expectCode(res, 'CONFLICT');
      expect(await agenda()).toEqual(ids(list));
      expect(await w.get(target.id, 'version priority { level rank rationale decidedAt }')).toEqual(before);
      // The same for a blocker already on the agenda that would move.
      const v = await w.version(list[2].id);
      expectOk(await decide(list[2], 3, { level: 'LOW' }));
      expectCode(await decide(list[2], 1, { expectedVersion: v }), 'CONFLICT');
      expect(await agenda()).toEqual(ids(list));
    });
  });

  describe('ranks', () => {
    it('keeps ranks unique and gapless through inserts, moves and removals', async () => {
      await clearAgenda();
      const [x1, x2, x3, x4, x5] = await w.blockers(5);
      const rankOf = async (b: BlockerRef) => (await w.get(b.id, 'priority { rank }')).priority.rank;

      expectOk(await decide(x1, 1));
      expect(await agenda()).toEqual(ids([x1]));
      expectOk(await decide(x2, 1)); // insert at 1: the others shift down
      expect(await agenda()).toEqual(ids([x2, x1]));
      expectOk(await decide(x3, 2)); // insert in the middle
      expect(await agenda()).toEqual(ids([x2, x3, x1]));
      const placed = expectOk(await decide(x4, 99)).recordSteeringDecision; // past the end: last place
      expect(placed.priority.rank).toBe(4);
      expect(await agenda()).toEqual(ids([x2, x3, x1, x4]));
      expectOk(await decide(x5, 5)); // exactly one past the end
      expect(await agenda()).toEqual(ids([x2, x3, x1, x4, x5]));

      expectOk(await decide(x1, 1)); // move up
      expect(await agenda()).toEqual(ids([x1, x2, x3, x4, x5]));
      expectOk(await decide(x1, 4)); // move down
      expect(await agenda()).toEqual(ids([x2, x3, x4, x1, x5]));
      expectOk(await decide(x1, 4)); // same place: nothing moves
      expect(await agenda()).toEqual(ids([x2, x3, x4, x1, x5]));
      expectOk(await decide(x1, 50)); // down past the end: last
      expect(await rankOf(x1)).toBe(5);
      expect(await agenda()).toEqual(ids([x2, x3, x4, x5, x1]));
      expectOk(await decide(x5, 2)); // up from the middle
      expect(await agenda()).toEqual(ids([x2, x5, x3, x4, x1]));

      expectOk(await decide(x3, null)); // off the agenda: the gap closes
      expect(await rankOf(x3)).toBeNull();
      expect(await agenda()).toEqual(ids([x2, x5, x4, x1]));
      expectOk(await decide(x2, undefined)); // rank left out: off the agenda as well
      expect(await agenda()).toEqual(ids([x5, x4, x1]));
      expectOk(await decide(x1, null)); // the last one off
      expect(await agenda()).toEqual(ids([x5, x4]));
      expectOk(await decide(x3, null)); // not on it: nothing moves
      expect(await agenda()).toEqual(ids([x5, x4]));
      expectOk(await decide(x3, 3)); // back on, at the end
      expect(await agenda()).toEqual(ids([x5, x4, x3]));
    });

    it.each([
      ['REJECTED', 'REPORTED'],
      ['WITHDRAWN', 'TRIAGED'],
      ['DUPLICATE', 'PRIORITISED'],
      ['RESOLVED', 'IN_PROGRESS'],
    ])(
      'takes a blocker closed as %s (from %s) off the agenda; the ranks behind it close up',
      async (closed, from) => {
        await clearAgenda();
        const list = await w.blockers(5);
        const target = list[1];
        for (const b of list) expectOk(await decide(b, 99));
        // Ranked while REPORTED; the moves up to `from` keep the rank.
        await w.moveTo(target.id, from);
        expect((await w.get(target.id, 'status priority { rank }')).priority.rank).toBe(2);
        expect(await agenda()).toEqual(ids(list));
        const extra = closed === 'DUPLICATE' ? { duplicateOfId: list[4].id } : {};
        const moved = expectOk(await w.move(target.id, closed, extra)).transitionBlocker;
        expect(moved.status).toBe(closed);

        expect((await w.get(target.id, 'priority { rank level }')).priority).toEqual({
          rank: null,
          level: 'HIGH',
        });
        expect(await agenda()).toEqual(ids([list[0], list[2], list[3], list[4]]));
        const [event] = await w.history(target.id);
        expect(event.changes).toContainEqual({ field: 'priorityRank', from: 2, to: null });

        // A closed blocker cannot be put on the agenda; reopened, it is not on it until decided.
        expectCode(await decide(target, 1), 'BAD_USER_INPUT');
        expect(await agenda()).toEqual(ids([list[0], list[2], list[3], list[4]]));
        expectOk(await w.move(target.id, 'TRIAGED'));
        expect((await w.get(target.id, 'priority { rank }')).priority.rank).toBeNull();
        expectOk(await decide(target, 1));
        expect(await agenda()).toEqual(ids([target, list[0], list[2], list[3], list[4]]));
      },
    );

    it('keeps ranks unique and gapless 1..n under 20 parallel decisions with random ranks', async () => {
      await clearAgenda();
      const list = await w.blockers(20);
      const random = prng(20261129);
      for (let round = 0; round < 4; round++) {
        const results = await Promise.all(
          list.map(async (b) => decide(b, 1 + Math.floor(random() * 25), { level: 'MEDIUM' })),
        );
        for (const r of results) expectOk(r);
        const order = await agenda();
        expect(order).toHaveLength(20);
        expect(new Set(order)).toEqual(new Set(ids(list)));
        const { rows } = await server.db.query<{ ranks: number[] }>(
          'SELECT array_agg(priority_rank ORDER BY priority_rank) AS ranks FROM blocker WHERE priority_rank IS NOT NULL',
        );
        expect(rows[0].ranks).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      }
      // Half of them off the agenda at once, the others moved at the same time.
      const results = await Promise.all(
        list.map((b, i) => decide(b, i % 2 ? null : 1 + Math.floor(random() * 12))),
      );
      for (const r of results) expectOk(r);
      expect(new Set(await agenda())).toEqual(new Set(ids(list.filter((_, i) => i % 2 === 0))));
    });

    it('keeps ranks gapless when ranked blockers close while decisions are being recorded', async () => {
      await clearAgenda();
      const list = await w.blockers(16);
      for (const b of list) expectOk(await decide(b, 99));
      const random = prng(4711);
      for (let round = 0; round < 4; round++) {
        const onAgenda = await agenda();
        const closing = onAgenda.filter((_, i) => i % 4 === 1).slice(0, 3);
        const deciding = onAgenda.filter((id) => !closing.includes(id));
        const results = await Promise.all([
          ...closing.map((id) => w.move(id, 'REJECTED')),
          ...deciding.map((id) =>
            decide({ id } as BlockerRef, 1 + Math.floor(random() * onAgenda.length), { level: 'LOW' }),
          ),
        ]);
        for (const r of results) expectOk(r);
        const after = await agenda();
        expect(new Set(after)).toEqual(new Set(deciding));
        // Fresh blockers take the closed ones' places at the end, for the next round.
        for (const b of await w.blockers(closing.length)) expectOk(await decide(b, 99));
      }
    });
  });
});
