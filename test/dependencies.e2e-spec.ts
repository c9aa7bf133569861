/**
 * Dependencies between blockers (addBlockerDependency / removeBlockerDependency): who may change them,
 * what is refused (self, duplicates, cycles of any length, also when requests race), the dependsOn and
 * dependents fields and the audit trail. The database pool is only read, to prove what was (not) written.
 */
import { codeOf, GraphQLResponse, TestServer } from './support/server';
import { BlockerRef, expectCode, expectOk, World } from './support/graph-fixtures';

const ADD = `mutation Add($input: BlockerDependencyInput!) {
  addBlockerDependency(input: $input) { id key version dependsOn { id key } dependents { id key } }
}`;
const REMOVE = `mutation Remove($input: BlockerDependencyInput!) {
  removeBlockerDependency(input: $input) { id key version dependsOn { id key } dependents { id key } }
}`;

describe('blocker dependencies', () => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    w = await World.load(server);
  });
  afterAll(async () => server?.stop());

  const add = (blocker: BlockerRef, dependsOn: BlockerRef, bearer = w.steering): Promise<GraphQLResponse> =>
    server.gql(ADD, { input: { blockerId: blocker.id, dependsOnId: dependsOn.id } }, bearer);
  const remove = (
    blocker: BlockerRef,
    dependsOn: BlockerRef,
    bearer = w.steering,
  ): Promise<GraphQLResponse> =>
    server.gql(REMOVE, { input: { blockerId: blocker.id, dependsOnId: dependsOn.id } }, bearer);

  const numberOf = (b: BlockerRef): number => Number(b.key.replace('KNP-', ''));

  /** The dependency edges among these blockers, as `KNP-a>KNP-b`, read from the database. */
  async function edgesAmong(blockers: BlockerRef[]): Promise<string[]> {
    const { rows } = await server.db.query<{ edge: string }>(
      `SELECT 'KNP-' || b.number || '>KNP-' || d.number AS edge
       FROM blocker_dependency x JOIN blocker b ON b.id = x.blocker_id JOIN blocker d ON d.id = x.depends_on_id
       WHERE b.number = ANY($1::int[]) OR d.number = ANY($1::int[]) ORDER BY 1`,
      [blockers.map(numberOf)],
    );
    return rows.map((r) => r.edge);
  }

  /** Cycles anywhere in the stored dependency graph (each as the path that returns to its start). */
  async function storedCycles(): Promise<string[][]> {
    const { rows } = await server.db.query<{ path: string[] }>(
      `WITH RECURSIVE walk(start_id, at_id, path, cycled) AS (
         SELECT d.blocker_id, d.depends_on_id, ARRAY[d.blocker_id, d.depends_on_id], d.blocker_id = d.depends_on_id
         FROM blocker_dependency d
         UNION ALL
         SELECT w.start_id, d.depends_on_id, w.path || d.depends_on_id, d.depends_on_id = ANY(w.path)
         FROM walk w JOIN blocker_dependency d ON d.blocker_id = w.at_id
         WHERE NOT w.cycled AND cardinality(w.path) < 200
       )
       SELECT path::text[] AS path FROM walk WHERE cycled`,
    );
    return rows.map((r) => r.path);
  }

  async function auditCount(action: string): Promise<number> {
    const { rows } = await server.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM audit_event WHERE action = $1',
      [action],
    );
    return Number(rows[0].n);
  }

  describe('permissions', () => {
    // Reported by a steward of SVB on a need SVB <- UWV, owned by FIN.
    let a: BlockerRef;
    let b: BlockerRef;

    beforeAll(async () => {
      const needA = await w.declareNeed('SVB', 'UWV');
      const needB = await w.declareNeed('AMSTERDAM', 'BD');
      a = await w.report({ needIds: [needA], bearer: w.steward('SVB'), owner: 'FIN' });
      b = await w.report({ needIds: [needB], bearer: w.steward('AMSTERDAM'), owner: 'BZK' });
    });

    it.each([
      ['a steward of the reporting provider', () => w.steward('SVB')],
      ['a steward of the owning provider', () => w.steward('FIN')],
      ['STEERING', () => w.steering],
      ['ADMIN', () => w.admin],
    ])('%s adds and removes a dependency', async (_who, bearer) => {
      const added = expectOk<any>(await add(a, b, bearer())).addBlockerDependency;
      expect(added.dependsOn).toEqual([{ id: b.id, key: b.key }]);
      expect(await edgesAmong([a, b])).toEqual([`${a.key}>${b.key}`]);
      const removed = expectOk<any>(await remove(a, b, bearer())).removeBlockerDependency;
      expect(removed.dependsOn).toEqual([]);
      expect(await edgesAmong([a, b])).toEqual([]);
    });

    it.each([
      ['an ANALYST', () => w.analyst],
      ['a steward of a provider that is only affected (the supplier)', () => w.steward('UWV')],
      ['a steward of an uninvolved provider', () => w.steward('DUO')],
      ['a steward of the other blocker’s reporting provider', () => w.steward('AMSTERDAM')],
    ])('%s may neither add nor remove one (FORBIDDEN, nothing written)', async (_who, bearer) => {
      const versionBefore = await w.version(a.id);
      expectCode(await add(a, b, bearer()), 'FORBIDDEN');
      expect(await edgesAmong([a, b])).toEqual([]);
      expect(await w.version(a.id)).toBe(versionBefore);

      expectOk(await add(a, b, w.steering));
      expectCode(await remove(a, b, bearer()), 'FORBIDDEN');
      expect(await edgesAmong([a, b])).toEqual([`${a.key}>${b.key}`]);
      expectOk(await remove(a, b, w.steering));
    });

    it('refuses anonymous callers', async () => {
      expectCode(await server.gql(ADD, { input: { blockerId: a.id, dependsOnId: b.id } }), 'UNAUTHENTICATED');
    });
  });

  describe('refusals', () => {
    let a: BlockerRef;
    let b: BlockerRef;

    beforeAll(async () => {
      [a, b] = await w.blockers(2);
    });

    it('refuses a dependency of a blocker on itself (BAD_USER_INPUT)', async () => {
      const ext = expectCode(await add(a, a), 'BAD_USER_INPUT');
      expect(JSON.stringify(ext)).toContain('dependsOnId');
      expect(await edgesAmong([a])).toEqual([]);
    });

    it('refuses the same dependency twice (BAD_USER_INPUT), also when both requests race', async () => {
      expectOk(await add(a, b));
      const versionAfterFirst = await w.version(a.id);
      expectCode(await add(a, b), 'BAD_USER_INPUT');
      expect(await w.version(a.id)).toBe(versionAfterFirst);
      expect(await edgesAmong([a, b])).toEqual([`${a.key}>${b.key}`]);
      expectOk(await remove(a, b));

      const [c, d] = await w.blockers(2);
      const results = await Promise.all([add(c, d), add(c, d), add(c, d)]);
      expect(results.filter((r) => !r.errors).length).toBe(1);
      for (const r of results.filter((x) => x.errors)) expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(await edgesAmong([c, d])).toEqual([`${c.key}>${d.key}`]);
    });

    it('refuses to remove a dependency that does not exist (BAD_USER_INPUT)', async () => {
      expectCode(await remove(a, b), 'BAD_USER_INPUT');
      expectCode(await remove(b, a), 'BAD_USER_INPUT');
    });

    it('names an unknown prerequisite as bad input and an unknown blocker as not found', async () => {
      const ghost = {
        ...b,
        id: Buffer.from('Blocker:00000000-0000-4000-8000-000000000000').toString('base64url'),
      };
      expectCode(await add(a, ghost), 'BAD_USER_INPUT');
      expectCode(await add(ghost, a), 'NOT_FOUND');
    });
  });

  describe('cycles', () => {
    it.each([2, 3, 10])(
      'refuses the dependency that closes a cycle of length %i (DEPENDENCY_CYCLE) and writes nothing',
      async (length) => {
        const chain = await w.blockers(length);
        // chain[0] -> chain[1] -> ... -> chain[length - 1]
        for (let i = 0; i + 1 < length; i++) expectOk(await add(chain[i], chain[i + 1]));
        const last = chain[length - 1];
        const edgesBefore = await edgesAmong(chain);
        const versionsBefore = await Promise.all(chain.map((b) => w.version(b.id)));
        const scoresBefore = await w.allBlockers<{ id: string; priority: { score: number } }>(
          'id priority { score }',
        );
        const auditsBefore = await auditCount('blocker.dependency_added');

        const res = await add(last, chain[0]);
        const ext = expectCode(res, 'DEPENDENCY_CYCLE');
        // The cycle, as keys: starts and ends at the blocker that would wait, every step an edge.
        const cycle: string[] = ext.cycle;
        expect(cycle).toHaveLength(length + 1);
        expect(cycle[0]).toBe(last.key);
        expect(cycle[cycle.length - 1]).toBe(last.key);
        expect(new Set(cycle)).toEqual(new Set(chain.map((b) => b.key)));
        const steps = new Set([...edgesBefore, `${last.key}>${chain[0].key}`]);
        for (let i = 0; i + 1 < cycle.length; i++) expect(steps).toContain(`${cycle[i]}>${cycle[i + 1]}`);

        expect(await edgesAmong(chain)).toEqual(edgesBefore);
        expect(await Promise.all(chain.map((b) => w.version(b.id)))).toEqual(versionsBefore);
        expect(await auditCount('blocker.dependency_added')).toBe(auditsBefore);
        expect(await w.allBlockers('id priority { score }')).toEqual(scoresBefore);
        const lastNow = await w.get(last.id, 'dependsOn { id }');
        expect(lastNow.dependsOn).toEqual([]);
        expect(await storedCycles()).toEqual([]);
      },
    );

    it('counts closed blockers too: a reopened blocker never finds itself in a cycle', async () => {
      const [a, b] = await w.blockers(2);
      expectOk(await add(a, b));
      expectOk(await w.move(b.id, 'REJECTED'));
      expectCode(await add(b, a), 'DEPENDENCY_CYCLE');
      expectOk(await w.move(b.id, 'TRIAGED'));
      expect(await storedCycles()).toEqual([]);
    });

    it('allows a diamond (two paths to one prerequisite), which is not a cycle', async () => {
      const [top, left, right, bottom] = await w.blockers(4);
      expectOk(await add(top, left));
      expectOk(await add(top, right));
      expectOk(await add(left, bottom));
      expectOk(await add(right, bottom));
      expectOk(await add(top, bottom));
      expectCode(await add(bottom, top), 'DEPENDENCY_CYCLE');
      const b = await w.get(bottom.id, 'dependents { key }');
      expect(b.dependents.map((x: { key: string }) => x.key)).toEqual([top.key, left.key, right.key]);
    });
  });

  describe('concurrency', () => {
    it('never lets two opposite dependencies sent at the same time both in (10 fresh pairs)', async () => {
      const pairs: BlockerRef[][] = [];
      for (let i = 0; i < 10; i++) pairs.push(await w.blockers(2));
      for (const [a, b] of pairs) {
        const [ab, ba] = await Promise.all([add(a, b), add(b, a)]);
        const ok = [ab, ba].filter((r) => !r.errors);
        expect(ok).toHaveLength(1);
        expect(codeOf(ab.errors ? ab : ba)).toBe('DEPENDENCY_CYCLE');
        // Through the API: exactly one direction.
        const [aNow, bNow] = await Promise.all([
          w.get(a.id, 'dependsOn { id } dependents { id }'),
          w.get(b.id, 'dependsOn { id } dependents { id }'),
        ]);
        expect(aNow.dependsOn.length + bNow.dependsOn.length).toBe(1);
        expect(aNow.dependents.length + bNow.dependents.length).toBe(1);
        // In the database: one edge.
        expect(await edgesAmong([a, b])).toHaveLength(1);
      }
      expect(await storedCycles()).toEqual([]);
    });

    it('never lets a 3-cycle in when its three edges are sent at the same time (5 fresh triples)', async () => {
      for (let round = 0; round < 5; round++) {
        const [a, b, c] = await w.blockers(3);
        const results = await Promise.all([add(a, b), add(b, c), add(c, a)]);
        expect(results.filter((r) => !r.errors)).toHaveLength(2);
        expect(results.filter((r) => r.errors).map(codeOf)).toEqual(['DEPENDENCY_CYCLE']);
        expect(await edgesAmong([a, b, c])).toHaveLength(2);
        const views = await Promise.all([a, b, c].map((x) => w.get(x.id, 'dependsOn { id }')));
        expect(views.reduce((n, v) => n + v.dependsOn.length, 0)).toBe(2);
      }
      expect(await storedCycles()).toEqual([]);
    });

    it('never lets a 10-cycle in when all its edges race, by steward and steering alike', async () => {
      const ring = await w.blockers(10, { bearer: w.steward('SVB') });
      const results = await Promise.all(
        ring.map((b, i) => add(b, ring[(i + 1) % ring.length], i % 2 ? w.steward('SVB') : w.steering)),
      );
      expect(results.filter((r) => !r.errors)).toHaveLength(9);
      expect(results.filter((r) => r.errors).map(codeOf)).toEqual(['DEPENDENCY_CYCLE']);
      expect(await edgesAmong(ring)).toHaveLength(9);
      expect(await storedCycles()).toEqual([]);
    });
  });

  describe('fields and history', () => {
    it('shows dependsOn and dependents in report order, and both sides update on add and remove', async () => {
      const [x, p1, p2, d1] = await w.blockers(4);
      expectOk(await add(x, p2));
      expectOk(await add(x, p1));
      expectOk(await add(d1, x));
      const view = await w.get(x.id, 'dependsOn { key } dependents { key }');
      expect(view.dependsOn.map((b: { key: string }) => b.key)).toEqual([p1.key, p2.key]);
      expect(view.dependents.map((b: { key: string }) => b.key)).toEqual([d1.key]);
      expect((await w.get(p1.id, 'dependents { key }')).dependents).toEqual([{ key: x.key }]);

      expectOk(await remove(x, p1));
      expect((await w.get(x.id, 'dependsOn { key }')).dependsOn).toEqual([{ key: p2.key }]);
      expect((await w.get(p1.id, 'dependents { key }')).dependents).toEqual([]);
    });

    it('hides a confidential prerequisite from those who may not see it', async () => {
      const need = await w.declareNeed('UTRECHT', 'DUO');
      const secret = await w.report({ needIds: [need], confidential: true, owner: 'BZK' });
      const [open] = await w.blockers(1);
      expectOk(await add(open, secret));
      const asAnalyst = await server.ok<any>(
        'query($id: ID!) { blocker(id: $id) { dependsOn { id } } }',
        { id: open.id },
        w.analyst,
      );
      expect(asAnalyst.blocker.dependsOn).toEqual([]);
      const asSteering = await w.get(open.id, 'dependsOn { id }');
      expect(asSteering.dependsOn).toEqual([{ id: secret.id }]);
    });

    it('treats a prerequisite the steward may not see as unknown (BAD_USER_INPUT), without naming it', async () => {
      const secretNeed = await w.declareNeed('UTRECHT', 'DUO');
      const secret = await w.report({ needIds: [secretNeed], confidential: true, owner: 'BZK' });
      const need = await w.declareNeed('SVB', 'UWV');
      const mine = await w.report({ needIds: [need], bearer: w.steward('SVB') });
      const res = await add(mine, secret, w.steward('SVB'));
      expectCode(res, 'BAD_USER_INPUT');
      expect(JSON.stringify(res)).not.toContain(secret.key);
      expect(await edgesAmong([mine, secret])).toEqual([]);
    });

    it('records blocker.dependency_added and blocker.dependency_removed with the actor', async () => {
      const need = await w.declareNeed('SVB', 'UWV');
      const a = await w.report({ needIds: [need], bearer: w.steward('SVB') });
      const [b] = await w.blockers(1);
      const v0 = await w.version(a.id);
      expectOk(await add(a, b, w.steward('SVB', 'svb-dependency-author')));
      expect(await w.version(a.id)).toBe(v0 + 1);
      expectOk(await remove(a, b, w.steering));
      expect(await w.version(a.id)).toBe(v0 + 2);

      const events = await w.history(a.id);
      expect(events[0]).toMatchObject({
        action: 'blocker.dependency_removed',
        changes: [{ field: 'dependsOn', from: b.id, to: null }],
        actor: { subject: 'test-steering-none' },
      });
      expect(events[1]).toMatchObject({
        action: 'blocker.dependency_added',
        changes: [{ field: 'dependsOn', from: null, to: b.id }],
        actor: { subject: 'svb-dependency-author' },
      });
      const { rows } = await server.db.query<{ action: string }>(
        `SELECT e.action FROM audit_event e JOIN blocker b ON b.id = e.blocker_id
         WHERE b.number = $1 AND e.action LIKE 'blocker.dependency%' ORDER BY e.id`,
        [numberOf(a)],
      );
      expect(rows.map((r) => r.action)).toEqual(['blocker.dependency_added', 'blocker.dependency_removed']);
    });

    it('feeds the dependents factor of the prerequisite', async () => {
      const [p, d1, d2] = await w.blockers(3);
      expectOk(await add(d1, p));
      expectOk(await add(d2, d1));
      const factor = async (b: BlockerRef) =>
        (await w.get(b.id, 'priority { factors { name value } }')).priority.factors.find(
          (f: { name: string }) => f.name === 'dependents',
        ).value;
      expect(await factor(p)).toBeCloseTo(2 / 5, 4);
      expect(await factor(d1)).toBeCloseTo(1 / 5, 4);
      expectOk(await remove(d2, d1));
      expect(await factor(p)).toBeCloseTo(1 / 5, 4);
    });
  });

  it('leaves no cycle anywhere in the registry', async () => {
    expect(await storedCycles()).toEqual([]);
  });
});
