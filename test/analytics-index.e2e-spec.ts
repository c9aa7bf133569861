/**
 * The analytics index (ADR 10) of each server instance follows the audit chain: a change made through
 * one instance is in the analytics answers of another instance on the same database at once, with no
 * event bus between them (the request waits for its instance's index to catch up to max(chain_seq)).
 */
import { BlockerView, Fixtures } from './support/blockers';
import { TestServer, token } from './support/server';

const steering = token('STEERING', { sub: 'analytics-index-steering' });

const WHAT_IF = `query($resolve: [ID!]!) { whatIf(resolve: $resolve) {
  needsUnblocked { id } needsStillBlocked blockedByPrerequisites { id } } }`;
const IMPACT = `query($id: ID!) { blockerImpact(id: $id) {
  unblockedIfResolved { id } prerequisites { id } dependents { id } } }`;
const CRITICAL = `{ criticalBlockers(first: 100) { blocker { id } needsUnblocked } }`;
const GRAPH = `query($id: ID!) { blockerGraph(input: { focusId: $id, depth: 1 }) {
  nodes { id } edges { source target kind needId blocked } totalEdges truncated } }`;
const DEPEND = `mutation($input: BlockerDependencyInput!) { addBlockerDependency(input: $input) { id } }`;

describe('analytics on two server instances of one database', () => {
  let a: TestServer;
  let b: TestServer;
  let fixtures: Fixtures;
  let need: { id: string };
  let reporter: string;

  // One hook per instance: each start gets the whole hook timeout.
  beforeAll(async () => {
    a = await TestServer.start({ demo: true });
  });
  beforeAll(async () => {
    b = await TestServer.start({ databaseUrl: a.databaseUrl });
    // A need no open blocker holds, and a steward of its requester to report on it.
    const data = await a.ok<any>(
      `{ dataNeeds(first: 100, filter: { state: [REQUESTED] }) {
           nodes { id requester { oin tooiUri } } } }`,
      {},
      steering,
    );
    const free = data.dataNeeds.nodes[0];
    need = { id: free.id };
    reporter = token('STEWARD', {
      org: free.requester.oin ?? free.requester.tooiUri,
      sub: 'analytics-index-steward',
    });
    fixtures = new Fixtures(a, { steering, reporter, needIds: [need.id], ownerId: null });
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const stillBlocked = async (server: TestServer): Promise<number> =>
    (await server.ok<any>(WHAT_IF, { resolve: [] }, steering)).whatIf.needsStillBlocked;

  it('a blocker reported on A is in B’s analytics at once, and so are its moves and dependencies', async () => {
    const before = await stillBlocked(b);
    expect(await stillBlocked(a)).toBe(before);

    const blocker: BlockerView = await fixtures.report({ needIds: [need.id], ownerId: null });
    // Read straight after the write, on the other instance.
    expect(await stillBlocked(b)).toBe(before + 1);
    const whatIf = (await b.ok<any>(WHAT_IF, { resolve: [blocker.id] }, steering)).whatIf;
    expect(whatIf.needsUnblocked).toEqual([{ id: need.id }]);
    expect((await b.ok<any>(IMPACT, { id: blocker.id }, steering)).blockerImpact.unblockedIfResolved).toEqual(
      [{ id: need.id }],
    );
    const ranked = (await b.ok<any>(CRITICAL, {}, steering)).criticalBlockers;
    expect(ranked.find((s: any) => s.blocker.id === blocker.id)).toEqual({
      blocker: { id: blocker.id },
      needsUnblocked: 1,
    });
    const graph = (await b.ok<any>(GRAPH, { id: blocker.id }, steering)).blockerGraph;
    expect(graph.nodes[0]).toEqual({ id: blocker.id });
    expect(graph.edges.filter((e: any) => e.kind === 'BLOCKS')).not.toHaveLength(0);
    expect(graph.edges.every((e: any) => e.needId === need.id && e.blocked)).toBe(true);

    // A second blocker on the same need that waits for the first: the need now needs both.
    const second: BlockerView = await fixtures.report({ needIds: [need.id], ownerId: null });
    await a.ok(DEPEND, { input: { blockerId: second.id, dependsOnId: blocker.id } }, steering);
    const impact = (await b.ok<any>(IMPACT, { id: second.id }, steering)).blockerImpact;
    expect(impact.prerequisites).toEqual([{ id: blocker.id }]);
    expect(impact.unblockedIfResolved).toEqual([{ id: need.id }]);
    expect((await b.ok<any>(WHAT_IF, { resolve: [blocker.id] }, steering)).whatIf.needsUnblocked).toEqual([]);
    expect(
      (await b.ok<any>(WHAT_IF, { resolve: [second.id] }, steering)).whatIf.blockedByPrerequisites,
    ).toEqual([{ id: second.id }]);

    // Both withdrawn on A: on B the need is free again and the blockers hold nothing.
    await fixtures.move(blocker, 'WITHDRAWN');
    await fixtures.move(await fixtures.get(second.id), 'WITHDRAWN');
    expect(await stillBlocked(b)).toBe(before);
    expect((await b.ok<any>(IMPACT, { id: blocker.id }, steering)).blockerImpact).toEqual({
      unblockedIfResolved: [],
      prerequisites: [],
      dependents: [],
    });
    expect((await b.ok<any>(GRAPH, { id: blocker.id }, steering)).blockerGraph).toEqual({
      nodes: [],
      edges: [],
      totalEdges: 0,
      truncated: false,
    });
  });

  it('both instances answer alike after the changes', async () => {
    for (const query of [CRITICAL]) {
      expect(await b.ok(query, {}, steering)).toEqual(await a.ok(query, {}, steering));
    }
    expect(await stillBlocked(b)).toBe(await stillBlocked(a));
  });
});
