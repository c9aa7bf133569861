/**
 * Endorsements ("affects us too"): one per provider, never by the reporting provider, only by stewards;
 * withdrawing; the endorsements field; their weight in the reach factor of the score; ordering by
 * endorsements; and what a merge does with them. The database pool is only read.
 */
import { codeOf, TestServer, token } from './support/server';
import { BlockerRef, expectCode, expectOk, localId, World } from './support/graph-fixtures';

const ENDORSE = `mutation Endorse($input: EndorseBlockerInput!) {
  endorseBlocker(input: $input) {
    id version endorsements { provider { id name } user { subject name } note createdAt }
  }
}`;
const WITHDRAW = `mutation Withdraw($id: ID!) {
  withdrawEndorsement(blockerId: $id) { id version endorsements { provider { id } } }
}`;

interface Factor {
  name: string;
  value: number;
  weight: number;
  contribution: number;
}

describe('endorsements', () => {
  let server: TestServer;
  let w: World;

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    w = await World.load(server);
  });
  afterAll(async () => server?.stop());

  const endorse = (b: BlockerRef, bearer: string, note: string | null = null) =>
    server.gql<any>(ENDORSE, { input: { blockerId: b.id, note } }, bearer);
  const withdraw = (b: BlockerRef, bearer: string) => server.gql<any>(WITHDRAW, { id: b.id }, bearer);

  /** Endorsement rows and the kept count, from the database. */
  async function stored(b: BlockerRef): Promise<{ rows: number; count: number }> {
    const { rows } = await server.db.query<{ rows: string; count: number }>(
      `SELECT (SELECT count(*) FROM endorsement e WHERE e.blocker_id = b.id) AS rows, b.endorsement_count AS count
       FROM blocker b WHERE b.id = $1`,
      [localId(b.id)],
    );
    return { rows: Number(rows[0].rows), count: rows[0].count };
  }

  /** A blocker reported by a steward of SVB on a fresh need SVB <- UWV. */
  async function svbBlocker(): Promise<BlockerRef> {
    const need = await w.declareNeed('SVB', 'UWV');
    return w.report({ needIds: [need], bearer: w.steward('SVB') });
  }

  async function priority(b: BlockerRef): Promise<{ score: number; factors: Factor[] }> {
    return (await w.get(b.id, 'priority { score factors { name value weight contribution } }')).priority;
  }
  const factor = (factors: Factor[], name: string): Factor => factors.find((f) => f.name === name)!;

  describe('who may endorse', () => {
    let b: BlockerRef;
    beforeAll(async () => {
      b = await svbBlocker();
    });

    it('lets a steward of another provider endorse, with a note, and shows provider, user and note', async () => {
      const before = Date.now();
      const data = expectOk(
        await endorse(b, w.steward('UWV', 'uwv-steward-1'), 'Raakt ook onze WW-uitvoering'),
      ).endorseBlocker;
      expect(data.endorsements).toHaveLength(1);
      const [e] = data.endorsements;
      expect(e.provider).toEqual({ id: w.provider('UWV').id, name: w.provider('UWV').name });
      expect(e.user).toEqual({ subject: 'uwv-steward-1', name: 'Steward UWV' });
      expect(e.note).toBe('Raakt ook onze WW-uitvoering');
      expect(new Date(e.createdAt).getTime()).toBeGreaterThanOrEqual(before - 5000);
      expect(await stored(b)).toEqual({ rows: 1, count: 1 });
    });

    it('refuses a second endorsement by the same provider, even by another of its stewards (CONFLICT)', async () => {
      const version = await w.version(b.id);
      expectCode(await endorse(b, w.steward('UWV', 'uwv-steward-1')), 'CONFLICT');
      expectCode(await endorse(b, w.steward('UWV', 'uwv-steward-2'), 'nog eens'), 'CONFLICT');
      expect(await stored(b)).toEqual({ rows: 1, count: 1 });
      expect(await w.version(b.id)).toBe(version);
      const view = await w.get(b.id, 'endorsements { user { subject } note }');
      expect(view.endorsements).toEqual([
        { user: { subject: 'uwv-steward-1' }, note: 'Raakt ook onze WW-uitvoering' },
      ]);
    });

    it('keeps one endorsement per provider when its stewards endorse at the same time', async () => {
      const fresh = await svbBlocker();
      const results = await Promise.all(
        [1, 2, 3, 4].map((i) => endorse(fresh, w.steward('DUO', `duo-steward-${i}`), `note ${i}`)),
      );
      expect(results.filter((r) => !r.errors)).toHaveLength(1);
      for (const r of results.filter((x) => x.errors)) expect(codeOf(r)).toBe('CONFLICT');
      expect(await stored(fresh)).toEqual({ rows: 1, count: 1 });
    });

    it('refuses the reporting provider’s own stewards (FORBIDDEN)', async () => {
      expectCode(await endorse(b, w.steward('SVB')), 'FORBIDDEN');
      expectCode(await endorse(b, w.steward('SVB', 'svb-other-steward')), 'FORBIDDEN');
      expect(await stored(b)).toEqual({ rows: 1, count: 1 });
    });

    it.each([
      ['an ANALYST', () => w.analyst],
      ['STEERING (no provider)', () => w.steering],
    ])('refuses %s (FORBIDDEN)', async (_who, bearer) => {
      expectCode(await endorse(b, bearer()), 'FORBIDDEN');
      expectCode(await withdraw(b, bearer()), 'FORBIDDEN');
      expect(await stored(b)).toEqual({ rows: 1, count: 1 });
    });

    it('refuses anonymous callers', async () => {
      expectCode(await server.gql(ENDORSE, { input: { blockerId: b.id } }), 'UNAUTHENTICATED');
    });

    it('treats only stewards as acting for a provider, whatever org another role’s token names', async () => {
      // UWV endorses; an analyst and a steering member whose tokens name UWV are not its stewards.
      const uwv = w.provider('UWV').org;
      const analystOfUwv = token('ANALYST', { org: uwv, sub: 'analyst-with-org' });
      const steeringOfUwv = token('STEERING', { org: uwv, sub: 'steering-with-org' });
      for (const bearer of [analystOfUwv, steeringOfUwv]) expectCode(await withdraw(b, bearer), 'FORBIDDEN');
      const rdw = w.provider('RDW').org;
      for (const role of ['ANALYST', 'STEERING'] as const)
        expectCode(await endorse(b, token(role, { org: rdw, sub: `${role}-with-rdw` })), 'FORBIDDEN');
      expect(await stored(b)).toEqual({ rows: 1, count: 1 });
      const view = await w.get(b.id, 'endorsements { provider { id } }');
      expect(view.endorsements).toEqual([{ provider: { id: w.provider('UWV').id } }]);
    });

    it('lets a steward withdraw their provider’s endorsement, and endorse again later', async () => {
      expectOk(await endorse(b, w.steward('KADASTER'), 'Kadaster ook'));
      expect(await stored(b)).toEqual({ rows: 2, count: 2 });

      // Any steward of the provider withdraws it; it is the provider's endorsement.
      const after = expectOk(await withdraw(b, w.steward('UWV', 'uwv-steward-2'))).withdrawEndorsement;
      expect(after.endorsements).toEqual([{ provider: { id: w.provider('KADASTER').id } }]);
      expect(await stored(b)).toEqual({ rows: 1, count: 1 });

      // Nothing left to withdraw for UWV; SVB never endorsed.
      expect(['BAD_USER_INPUT', 'NOT_FOUND']).toContain(codeOf(await withdraw(b, w.steward('UWV'))));
      expect(['BAD_USER_INPUT', 'NOT_FOUND']).toContain(codeOf(await withdraw(b, w.steward('SVB'))));
      expect(await stored(b)).toEqual({ rows: 1, count: 1 });

      const again = expectOk(await endorse(b, w.steward('UWV', 'uwv-steward-3'), 'weer')).endorseBlocker;
      expect(again.endorsements.map((e: any) => [e.provider.id, e.user.subject, e.note])).toEqual([
        [w.provider('KADASTER').id, `steward-KADASTER`, 'Kadaster ook'],
        [w.provider('UWV').id, 'uwv-steward-3', 'weer'],
      ]);
      expect(await stored(b)).toEqual({ rows: 2, count: 2 });
    });

    it('records blocker.endorsed and blocker.endorsement_withdrawn', async () => {
      const fresh = await svbBlocker();
      expectOk(await endorse(fresh, w.steward('CJIB', 'cjib-steward')));
      expectOk(await withdraw(fresh, w.steward('CJIB', 'cjib-steward')));
      const events = await w.history(fresh.id);
      expect(events[0]).toMatchObject({
        action: 'blocker.endorsement_withdrawn',
        changes: [{ field: 'endorsements', from: w.provider('CJIB').id, to: null }],
        actor: { subject: 'cjib-steward' },
      });
      expect(events[1]).toMatchObject({
        action: 'blocker.endorsed',
        changes: [{ field: 'endorsements', from: null, to: w.provider('CJIB').id }],
        actor: { subject: 'cjib-steward' },
      });
    });

    it('lists endorsing providers among the affected providers, without repeats', async () => {
      const fresh = await svbBlocker();
      expectOk(await endorse(fresh, w.steward('UWV')));
      expectOk(await endorse(fresh, w.steward('RDW')));
      const view = await w.get(fresh.id, 'affectedProviders { id }');
      expect(view.affectedProviders.map((p: { id: string }) => p.id).sort()).toEqual(
        [w.provider('SVB').id, w.provider('UWV').id, w.provider('RDW').id].sort(),
      );
    });
  });

  describe('reach in the score', () => {
    it('counts endorsements next to the distinct requesters and suppliers, capped at 1', async () => {
      const b = await svbBlocker(); // SVB and UWV: 2 providers
      const expectReach = async (value: number) => {
        const p = await priority(b);
        const reach = factor(p.factors, 'reach');
        expect(reach.value).toBeCloseTo(value, 4);
        expect(reach.weight).toBeCloseTo(0.15, 6);
        expect(reach.contribution).toBeCloseTo(0.15 * value, 4);
        // The score moves with it: the other factors stay, the divisor is 1.5 (effort unknown).
        const others = p.factors.filter((f) => f.name !== 'reach').reduce((s, f) => s + f.contribution, 0);
        expect(p.score).toBeCloseTo((100 * (others + 0.15 * value)) / 1.5, 1);
        return p.score;
      };
      const s0 = await expectReach(0.2);
      const endorsers = ['RDW', 'DUO', 'CJIB'];
      for (const key of endorsers) expectOk(await endorse(b, w.steward(key)));
      const s3 = await expectReach(0.5);
      expect(s3).toBeGreaterThan(s0);
      expectOk(await withdraw(b, w.steward('DUO')));
      await expectReach(0.4);

      for (const key of ['DUO', 'KADASTER', 'KVK', 'RVIG', 'CAK', 'IB', 'CBS', 'LOGIUS']) {
        expectOk(await endorse(b, w.steward(key)));
      }
      // 2 providers + 10 endorsements = 12 -> capped at 1.
      await expectReach(1);
      expectOk(await withdraw(b, w.steward('RDW')));
      expectOk(await withdraw(b, w.steward('CJIB')));
      expectOk(await withdraw(b, w.steward('DUO')));
      await expectReach(0.9);
    });

    it('counts providers of all affected needs once each, plus endorsements', async () => {
      const n1 = await w.declareNeed('AMSTERDAM', 'BD');
      const n2 = await w.declareNeed('AMSTERDAM', 'TOESLAGEN');
      const n3 = await w.declareNeed('ROTTERDAM', 'BD');
      const b = await w.report({ needIds: [n1, n2, n3], bearer: w.steward('AMSTERDAM') });
      // AMSTERDAM, BD, TOESLAGEN, ROTTERDAM = 4
      expect(factor((await priority(b)).factors, 'reach').value).toBeCloseTo(0.4, 4);
      expectOk(await endorse(b, w.steward('UTRECHT')));
      expect(factor((await priority(b)).factors, 'reach').value).toBeCloseTo(0.5, 4);
    });
  });

  describe('order and merges', () => {
    it('orders by the number of endorsements (ENDORSEMENTS), both ways and across pages', async () => {
      const blockers: BlockerRef[] = [];
      for (let i = 0; i < 4; i++) blockers.push(await svbBlocker());
      const counts = [2, 0, 3, 1];
      const stewards = ['UWV', 'DUO', 'RDW'];
      for (let i = 0; i < blockers.length; i++)
        for (let k = 0; k < counts[i]; k++) expectOk(await endorse(blockers[i], w.steward(stewards[k])));

      const list = async (direction: 'ASC' | 'DESC', first: number) => {
        const out: Array<{ id: string; endorsements: unknown[] }> = [];
        let after: string | null = null;
        for (;;) {
          const data: any = await server.ok(
            `query($first: Int, $after: String, $dir: SortDirection!) {
               blockers(first: $first, after: $after, orderBy: { field: ENDORSEMENTS, direction: $dir }) {
                 nodes { id endorsements { note } } pageInfo { hasNextPage endCursor } } }`,
            { first, after, dir: direction },
            w.admin,
          );
          out.push(...data.blockers.nodes);
          if (!data.blockers.pageInfo.hasNextPage) return out;
          after = data.blockers.pageInfo.endCursor;
        }
      };

      for (const direction of ['DESC', 'ASC'] as const) {
        const all = await list(direction, 100);
        const n = all.map((b) => b.endorsements.length);
        const sorted = [...n].sort((x, y) => (direction === 'DESC' ? y - x : x - y));
        expect(n).toEqual(sorted);
        const mine = all.map((b) => b.id).filter((id) => blockers.some((b) => b.id === id));
        const expected = [2, 0, 3, 1]
          .map((c, i) => ({ c, id: blockers[i].id }))
          .sort((x, y) => (direction === 'DESC' ? y.c - x.c : x.c - y.c))
          .map((x) => x.id);
        expect(mine).toEqual(expected);
        // Small pages give the same walk, without repeats or gaps.
        const paged = await list(direction, 3);
        expect(paged.map((b) => b.id)).toEqual(all.map((b) => b.id));
      }
    });

    it('moves endorsements to the original on DUPLICATE, once per provider, never the original’s reporter', async () => {
      const needA = await w.declareNeed('SVB', 'UWV');
      const needB = await w.declareNeed('DUO', 'UWV');
      const original = await w.report({ needIds: [needA], bearer: w.steward('SVB') });
      const duplicate = await w.report({ needIds: [needB], bearer: w.steward('DUO') });
      expectOk(await endorse(original, w.steward('RDW'), 'origineel'));
      expectOk(await endorse(duplicate, w.steward('RDW'), 'dubbel'));
      expectOk(await endorse(duplicate, w.steward('CJIB'), 'cjib'));
      expectOk(await endorse(duplicate, w.steward('SVB'), 'svb')); // reporter of the original
      const reachBefore = factor((await priority(original)).factors, 'reach').value;

      expectOk(await w.move(duplicate.id, 'DUPLICATE', { duplicateOfId: original.id }));

      const view = await w.get(original.id, 'endorsements { provider { id } note }');
      expect(
        view.endorsements
          .map((e: any) => [e.provider.id, e.note])
          .sort((x: string[], y: string[]) => x[0].localeCompare(y[0])),
      ).toEqual(
        [
          [w.provider('RDW').id, 'origineel'],
          [w.provider('CJIB').id, 'cjib'],
        ].sort((x, y) => x[0].localeCompare(y[0])),
      );
      expect(await stored(original)).toEqual({ rows: 2, count: 2 });
      expect(await stored(duplicate)).toEqual({ rows: 0, count: 0 });
      expect((await w.get(duplicate.id, 'endorsements { note }')).endorsements).toEqual([]);
      // Reach: SVB, UWV, DUO (the moved need's requester) + 2 endorsements.
      const reachAfter = factor((await priority(original)).factors, 'reach').value;
      expect(reachBefore).toBeCloseTo(0.3, 4);
      expect(reachAfter).toBeCloseTo(0.5, 4);
    });
  });
});
