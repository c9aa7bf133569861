/**
 * Concurrency over HTTP: many clients at once on the same rows. Optimistic locking (expectedVersion)
 * lets exactly one writer per version win and refuses the rest with CONFLICT; nothing is lost and the
 * audit trail holds exactly the changes that were made. Steering ranks stay unique and gapless, and
 * blocker keys stay unique and increasing under parallel reports.
 */
import { needIds, providerIds } from './support/demo';
import { codeOf, TestServer, token } from './support/server';

const admin = token('ADMIN', { sub: 'conc-admin' });
const steering = token('STEERING', { sub: 'conc-steering' });

const REPORT = `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id key version } } }`;
const UPDATE = `mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id version } }`;
const GET = `query($id: ID) { blocker(id: $id) { id version legalReference } }`;

const localId = (globalId: string): string =>
  Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

describe('concurrency', () => {
  let server: TestServer;
  let N: Record<string, string>;
  let P: Record<string, string>;
  let count = 0;

  const report = async (): Promise<{ id: string; key: string; version: number }> => {
    const data = await server.ok<any>(
      REPORT,
      {
        input: {
          title: `Gelijktijdig ${++count}`,
          description: 'Concurrency fixture',
          type: 'NO_INTERFACE',
          severity: 'MEDIUM',
          affectedNeedIds: [N.N1],
          ownerId: P.UWV,
        },
      },
      admin,
    );
    return data.reportBlocker.blocker;
  };

  const updatedEvents = async (id: string): Promise<number> => {
    const { rows } = await server.db.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE blocker_id = $1 AND action = 'blocker.updated'`,
      [localId(id)],
    );
    return rows[0].n;
  };

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    N = await needIds(server, admin);
    P = await providerIds(server, admin);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('50 clients on the same expectedVersion: the winners are in the history, the rest get CONFLICT', async () => {
    const b = await report();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        server.gql<any>(
          UPDATE,
          { input: { id: b.id, expectedVersion: b.version, legalReference: `Art. ${i + 1}` } },
          admin,
        ),
      ),
    );
    const ok = results.filter((r) => !r.errors?.length);
    const codes = results.filter((r) => r.errors?.length).map((r) => codeOf(r));
    expect(new Set(codes)).toEqual(codes.length ? new Set(['CONFLICT']) : new Set());
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(ok.length + codes.length).toBe(50);
    const after = (await server.ok<any>(GET, { id: b.id }, admin)).blocker;
    expect(after.version).toBe(b.version + ok.length);
    expect(await updatedEvents(b.id)).toBe(ok.length);
    // The stored value is the one the last winner wrote.
    const winners = ok.map((r) => r.data.updateBlocker.version);
    expect(new Set(winners).size).toBe(ok.length);

    console.log(`same-version race: ${ok.length} succeeded, ${codes.length} CONFLICT`);
  });

  it('50 clients that re-read and retry on CONFLICT: all 50 changes land', async () => {
    const b = await report();
    let conflicts = 0;
    const client = async (i: number): Promise<void> => {
      for (let attempt = 0; attempt < 500; attempt++) {
        const current = (await server.ok<any>(GET, { id: b.id }, admin)).blocker;
        const res = await server.gql<any>(
          UPDATE,
          { input: { id: b.id, expectedVersion: current.version, legalReference: `Client ${i}` } },
          admin,
        );
        if (!res.errors?.length) return;
        expect(codeOf(res)).toBe('CONFLICT');
        conflicts++;
        // A little random back-off, as a well-behaved client does.
        await new Promise((r) => setTimeout(r, Math.random() * 20 * Math.min(attempt + 1, 10)));
      }
      throw new Error(`client ${i} never got its change in`);
    };
    await Promise.all(Array.from({ length: 50 }, (_, i) => client(i)));
    const after = (await server.ok<any>(GET, { id: b.id }, admin)).blocker;
    expect(after.version).toBe(b.version + 50);
    expect(await updatedEvents(b.id)).toBe(50);
    const { rows } = await server.db.query(
      `SELECT changes FROM audit_event WHERE blocker_id = $1 AND action = 'blocker.updated'`,
      [localId(b.id)],
    );
    const written = new Set(
      rows.map((r: any) => r.changes.find((c: any) => c.field === 'legalReference')?.to as string),
    );
    expect(written.size).toBe(50);

    console.log(`retry race: 50 changes landed after ${conflicts} CONFLICT answers`);
  }, 180_000);

  it('20 parallel steering decisions keep the ranks unique and gapless', async () => {
    const blockers = [];
    for (let i = 0; i < 20; i++) {
      const b = await report();
      const t = await server.ok<any>(
        'mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { id version } }',
        { input: { id: b.id, expectedVersion: b.version, to: 'TRIAGED' } },
        steering,
      );
      blockers.push(t.transitionBlocker);
    }
    const results = await Promise.all(
      blockers.map((b, i) =>
        server.gql<any>(
          'mutation($input: SteeringDecisionInput!) { recordSteeringDecision(input: $input) { id } }',
          {
            input: {
              blockerId: b.id,
              expectedVersion: b.version,
              level: 'HIGH',
              // Many ask for the same few places: the server shifts the others down.
              rank: (i % 3) + 1,
              rationale: `Parallel decision ${i}`,
            },
          },
          steering,
        ),
      ),
    );
    expect(results.filter((r) => r.errors?.length).map((r) => r.errors)).toEqual([]);
    const { rows } = await server.db.query(
      `SELECT priority_rank AS rank FROM blocker WHERE priority_rank IS NOT NULL AND status IN
        ('REPORTED','TRIAGED','PRIORITISED','IN_PROGRESS','ESCALATED') ORDER BY priority_rank`,
    );
    const ranks = rows.map((r: any) => Number(r.rank));
    expect(ranks.length).toBeGreaterThanOrEqual(20);
    expect(ranks).toEqual(Array.from({ length: ranks.length }, (_, i) => i + 1));
  }, 180_000);

  it('30 parallel reports get unique, increasing KNP keys', async () => {
    const before = await report();
    const results = await Promise.all(Array.from({ length: 30 }, () => report()));
    const numbers = results.map((b) => Number(b.key.replace('KNP-', '')));
    expect(new Set(numbers).size).toBe(30);
    const base = Number(before.key.replace('KNP-', ''));
    expect(Math.min(...numbers)).toBeGreaterThan(base);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => base + 1 + i));
    // Each report has its blocker.reported event.
    const { rows } = await server.db.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'blocker.reported' AND blocker_id = ANY($1)`,
      [results.map((b) => localId(b.id))],
    );
    expect(rows[0].n).toBe(30);
  }, 120_000);
});
