/**
 * Subscription.blockerEvents over WebSocket (graphql-ws at /graphql), against the built server:
 * events after commit with the blocker and the actor, who receives what (confidential KNP-19),
 * providerId narrowing, refusal without a valid token, nothing from failed mutations; and two server
 * instances on one database whose events travel through Redis (REDIS_URL, default
 * redis://127.0.0.1:6379, which must be reachable: CI starts it), including an outage of Redis for
 * one of them.
 */
import { randomBytes } from 'node:crypto';
import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { Redis } from 'ioredis';
import { needIds, oinOf, providerIds, reference } from './support/demo';
import { codeOf, TestServer, token } from './support/server';
import { BlockerEvent, fence, Subscriber } from './support/subscriptions';

const admin = token('ADMIN', { name: 'Ada Admin', sub: 'subs-admin' });
const steering = token('STEERING', { name: 'Stella Steering', sub: 'subs-steering' });
const analyst = token('ANALYST', { name: 'Anna Analyst', sub: 'subs-analyst' });

/** The OIN of a demo provider, or its TOOI URI when it has none. */
const orgOf = (key: string): string => {
  const p = reference.providers.find((x) => x.key === key);
  if (!p) throw new Error(`no provider ${key} in the reference data`);
  return p.oin ?? p.tooiUri;
};
const steward = (key: string): string =>
  token('STEWARD', { org: orgOf(key), name: `Steward ${key}`, sub: `subs-steward-${key.toLowerCase()}` });

const BLOCKER = `query($key: String!) { blocker(key: $key) { id key title version status } }`;
const REPORT = `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { id key version } } }`;
const UPDATE = `mutation($input: UpdateBlockerInput!) { updateBlocker(input: $input) { id version } }`;
const TRANSITION = `mutation($input: TransitionBlockerInput!) { transitionBlocker(input: $input) { id version } }`;
const ENDORSE = `mutation($input: EndorseBlockerInput!) { endorseBlocker(input: $input) { id } }`;

interface BlockerRef {
  id: string;
  key: string;
  title: string;
  version: number;
  status: string;
}

async function blocker(server: TestServer, key: string): Promise<BlockerRef> {
  return (await server.ok<{ blocker: BlockerRef }>(BLOCKER, { key }, steering)).blocker;
}

/** Change a blocker's description as STEERING (one blocker.updated event). */
async function touch(server: TestServer, key: string, note: string): Promise<void> {
  const b = await blocker(server, key);
  await server.ok(
    UPDATE,
    {
      input: {
        id: b.id,
        expectedVersion: b.version,
        description: `${note} (${randomBytes(3).toString('hex')})`,
      },
    },
    steering,
  );
}

/**
 * A TCP relay to Redis that the test can cut and restore, to take Redis away from one server instance
 * without touching the Redis that others use.
 */
class RedisRelay {
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  port = 0;

  constructor(private readonly target: URL) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(Number(this.target.port || 6379), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Drop every connection and refuse new ones until `open()` again. */
  async cut(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    this.server = null;
  }
}

const summary = (events: BlockerEvent[]): string[] => events.map((e) => `${e.action} ${e.blocker.key}`);

describe('blockerEvents on one server (events in process)', () => {
  let server: TestServer;
  let providers: Record<string, string>;
  let needs: Record<string, string>;
  const open: Subscriber[] = [];
  const subscribe = (...args: Parameters<typeof Subscriber.open>): Subscriber => {
    const s = Subscriber.open(...args);
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    providers = await providerIds(server, admin);
    needs = await needIds(server, admin);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  afterAll(async () => server?.stop());

  it('delivers blocker.reported, .updated and .transitioned after each commit, with the blocker and the actor', async () => {
    const sub = subscribe('steering', server, steering);
    await fence(server, steering, 'KNP-1', [sub]);
    const uwv = steward('UWV');

    let from = sub.mark();
    const reported = await server.ok<{
      reportBlocker: { blocker: { id: string; key: string; version: number } };
    }>(
      REPORT,
      {
        input: {
          title: 'SVB has no interface for AOW data towards UWV',
          description: 'UWV re-keys AOW start dates by hand.',
          type: 'NO_INTERFACE',
          severity: 'MEDIUM',
          affectedNeedIds: [needs.N20],
        },
      },
      uwv,
    );
    const { id, key } = reported.reportBlocker.blocker;
    const first = await sub.waitFor((e) => e.blocker.key === key, from);
    expect(first).toEqual({
      action: 'blocker.reported',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      actor: { name: 'Steward UWV' },
      blocker: {
        id,
        key,
        title: 'SVB has no interface for AOW data towards UWV',
        description: 'UWV re-keys AOW start dates by hand.',
        status: 'REPORTED',
        severity: 'MEDIUM',
        version: reported.reportBlocker.blocker.version,
        confidential: false,
      },
    });

    from = sub.mark();
    const updated = await server.ok<{ updateBlocker: { version: number } }>(
      UPDATE,
      {
        input: {
          id,
          expectedVersion: reported.reportBlocker.blocker.version,
          title: 'No AOW interface from SVB to UWV',
          severity: 'HIGH',
        },
      },
      uwv,
    );
    const second = await sub.waitFor((e) => e.blocker.key === key, from);
    expect(second).toMatchObject({
      action: 'blocker.updated',
      actor: { name: 'Steward UWV' },
      blocker: {
        id,
        title: 'No AOW interface from SVB to UWV',
        severity: 'HIGH',
        version: updated.updateBlocker.version,
      },
    });

    from = sub.mark();
    const moved = await server.ok<{ transitionBlocker: { version: number } }>(
      TRANSITION,
      { input: { id, expectedVersion: updated.updateBlocker.version, to: 'TRIAGED' } },
      steering,
    );
    const third = await sub.waitFor((e) => e.blocker.key === key, from);
    expect(third).toMatchObject({
      action: 'blocker.transitioned',
      actor: { name: 'Stella Steering' },
      blocker: { id, status: 'TRIAGED', version: moved.transitionBlocker.version },
    });
    expect(Date.parse(third.at)).toBeGreaterThanOrEqual(Date.parse(first.at));

    await fence(server, steering, 'KNP-1', [sub]);
    expect(summary(sub.since(0, key))).toEqual([
      `blocker.reported ${key}`,
      `blocker.updated ${key}`,
      `blocker.transitioned ${key}`,
    ]);
  });

  it('delivers the confidential KNP-19 only to ADMIN, STEERING and stewards involved in it', async () => {
    const knp19 = await blocker(server, 'KNP-19');
    expect(reference.blockers.find((b) => b.key === 'B19')?.confidential).toBe(true);
    const receivers = [
      subscribe('admin', server, admin),
      subscribe('steering', server, steering),
      subscribe('steward of ROTTERDAM (reports it)', server, steward('ROTTERDAM')),
      subscribe('steward of AP (owns it)', server, steward('AP')),
      subscribe('steward of AMSTERDAM (requester of an affected need)', server, steward('AMSTERDAM')),
    ];
    const outsiders = [
      subscribe('analyst', server, analyst),
      subscribe('analyst narrowed to ROTTERDAM', server, analyst, { providerId: providers.ROTTERDAM }),
      subscribe('steward of UWV (not involved)', server, steward('UWV')),
      subscribe('steward of SVB narrowed to ROTTERDAM', server, steward('SVB'), {
        providerId: providers.ROTTERDAM,
      }),
    ];
    const all = [...receivers, ...outsiders];
    // KNP-3 is not confidential and touches ROTTERDAM: every subscriber here sees it.
    await fence(server, steering, 'KNP-3', all);
    const marks = all.map((s) => s.mark());

    await server.ok(
      UPDATE,
      { input: { id: knp19.id, expectedVersion: knp19.version, severity: 'CRITICAL' } },
      steering,
    );
    await server.ok(
      TRANSITION,
      { input: { id: knp19.id, expectedVersion: knp19.version + 1, to: 'TRIAGED' } },
      steering,
    );
    await fence(server, steering, 'KNP-3', all);

    for (const [i, s] of receivers.entries()) {
      expect(summary(s.since(marks[i], 'KNP-19'))).toEqual([
        'blocker.updated KNP-19',
        'blocker.transitioned KNP-19',
      ]);
      expect(s.since(marks[i], 'KNP-19')[1].blocker).toMatchObject({ confidential: true, status: 'TRIAGED' });
    }
    for (const [i, s] of outsiders.entries()) {
      const seen = s.since(marks[receivers.length + i]);
      expect(seen.filter((e) => e.blocker.confidential || e.blocker.key === 'KNP-19')).toEqual([]);
      expect(JSON.stringify(seen)).not.toContain(knp19.title);
      expect(summary(seen)).toContain('comment.added KNP-3');
    }
  });

  it('narrows to blockers that touch providerId: reporting, owning, endorsing, affected requester or supplier', async () => {
    // In the demo data: SZW owns KNP-1 and KNP-17; CIZ supplies a need of KNP-17 only; TILBURG requests
    // a need of KNP-9 only; RVR reports KNP-9; DENHAAG is in KNP-18 only, until it endorses KNP-2.
    const sz = subscribe('SZW', server, steering, { providerId: providers.SZW });
    const ciz = subscribe('CIZ', server, steering, { providerId: providers.CIZ });
    const tilburg = subscribe('TILBURG', server, analyst, { providerId: providers.TILBURG });
    const rvr = subscribe('RVR', server, analyst, { providerId: providers.RVR });
    const denhaag = subscribe('DENHAAG', server, steward('DENHAAG'), { providerId: providers.DENHAAG });
    await fence(server, steering, 'KNP-1', [sz]);
    await fence(server, steering, 'KNP-17', [ciz]);
    await fence(server, steering, 'KNP-9', [tilburg, rvr]);
    await fence(server, steering, 'KNP-18', [denhaag]);
    const subs = [sz, ciz, tilburg, rvr, denhaag];
    const marks = subs.map((s) => s.mark());

    for (const key of ['KNP-1', 'KNP-17', 'KNP-9', 'KNP-2', 'KNP-11']) await touch(server, key, 'narrowing');
    const knp2 = await blocker(server, 'KNP-2');
    await server.ok(
      ENDORSE,
      { input: { blockerId: knp2.id, note: 'Affects Den Haag too' } },
      steward('DENHAAG'),
    );
    await touch(server, 'KNP-2', 'after the endorsement');

    await fence(server, steering, 'KNP-1', [sz]);
    await fence(server, steering, 'KNP-17', [ciz]);
    await fence(server, steering, 'KNP-9', [tilburg, rvr]);
    await fence(server, steering, 'KNP-18', [denhaag]);
    const changes = (i: number): string[] =>
      summary(subs[i].since(marks[i])).filter((e) => !e.startsWith('comment.added'));

    expect(changes(0)).toEqual(['blocker.updated KNP-1', 'blocker.updated KNP-17']);
    expect(changes(1)).toEqual(['blocker.updated KNP-17']);
    expect(changes(2)).toEqual(['blocker.updated KNP-9']);
    expect(changes(3)).toEqual(['blocker.updated KNP-9']);
    expect(changes(4)).toEqual(['blocker.endorsed KNP-2', 'blocker.updated KNP-2']);
  });

  it('refuses a subscription without a valid token with UNAUTHENTICATED', async () => {
    const attempts = [
      subscribe('no token', server, null),
      subscribe('not a JWT', server, 'not-a-jwt'),
      subscribe('wrong secret', server, token('STEERING', { secret: 'another-secret-0123456789abcdef0123' })),
      subscribe('expired', server, token('STEERING', { expiresIn: -120 })),
    ];
    for (const s of attempts) {
      await s.end();
      expect(s.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
      expect(s.events).toEqual([]);
    }
    // The refused ones hear nothing afterwards either.
    const witness = subscribe('steering', server, steering);
    await fence(server, steering, 'KNP-1', [witness]);
    await touch(server, 'KNP-1', 'after refusals');
    await fence(server, steering, 'KNP-1', [witness]);
    for (const s of attempts) expect(s.events).toEqual([]);
  });

  it('serves only subscriptions over WebSocket and checks them as HTTP requests are checked', async () => {
    const query = subscribe('query', server, steering, {}, '{ viewer { name } }');
    const invalid = subscribe('invalid', server, steering, {}, 'subscription { blockerEvents { nope } }');
    const badId = subscribe('bad id', server, steering, { providerId: 'nope' });
    const badVariable = subscribe('bad variable', server, steering, { providerId: { not: 'an ID' } });
    const deep = subscribe(
      'too deep',
      server,
      steering,
      {},
      `subscription { blockerEvents { blocker { ${'dependsOn { '.repeat(14)}id${' }'.repeat(14)} } } }`,
    );
    for (const s of [query, invalid, badId, badVariable, deep]) await s.end();
    expect(query.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    expect(invalid.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(badId.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(badVariable.errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [expect.objectContaining({ field: 'providerId' })],
    });
    expect(deep.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'depth' });
  });

  it('publishes nothing for a mutation that fails, even when it fails at commit', async () => {
    const sub = subscribe('steering', server, steering);
    await fence(server, steering, 'KNP-1', [sub]);
    const from = sub.mark();
    const knp2 = await blocker(server, 'KNP-2');

    // Refused before anything is written: a stale version, a move the table does not allow, a steward
    // who may not change it.
    const stale = await server.gql(
      UPDATE,
      { input: { id: knp2.id, expectedVersion: knp2.version - 1, title: 'A stale change' } },
      steering,
    );
    expect(codeOf(stale)).toBe('CONFLICT');
    const invalid = await server.gql(
      TRANSITION,
      { input: { id: knp2.id, expectedVersion: knp2.version, to: 'REPORTED' } },
      steering,
    );
    expect(codeOf(invalid)).toBe('INVALID_TRANSITION');
    const forbidden = await server.gql(
      UPDATE,
      { input: { id: knp2.id, expectedVersion: knp2.version, title: 'Not theirs to change' } },
      steward('TILBURG'),
    );
    expect(codeOf(forbidden)).toBe('FORBIDDEN');

    // Refused by the database at COMMIT, after the change, its audit row and the after-commit
    // announcement were all queued in the transaction.
    await server.db.query(`
      CREATE FUNCTION test_refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.title LIKE '%[refused at commit]%' THEN RAISE EXCEPTION 'refused at commit'; END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER test_refuse_at_commit AFTER UPDATE ON blocker
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION test_refuse_at_commit();`);
    try {
      const failed = await server.gql(
        UPDATE,
        { input: { id: knp2.id, expectedVersion: knp2.version, title: 'Renamed [refused at commit]' } },
        steering,
      );
      expect(failed.errors?.length).toBeGreaterThan(0);
      expect(failed.data ?? null).toBeNull();
    } finally {
      await server.db.query(`
        DROP TRIGGER test_refuse_at_commit ON blocker;
        DROP FUNCTION test_refuse_at_commit();`);
    }
    expect(await blocker(server, 'KNP-2')).toEqual(knp2);

    await fence(server, steering, 'KNP-1', [sub]);
    expect(summary(sub.since(from)).filter((e) => !e.startsWith('comment.added'))).toEqual([]);

    // The same change without the failure is announced.
    await server.ok(
      UPDATE,
      { input: { id: knp2.id, expectedVersion: knp2.version, title: 'Renamed' } },
      steering,
    );
    await sub.waitFor((e) => e.blocker.key === 'KNP-2' && e.blocker.title === 'Renamed', from);
  });
});

describe('blockerEvents across two server instances (events through Redis)', () => {
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  // A channel of this run only: parallel runs on the same Redis do not hear each other.
  const prefix = `knooppunt-test-${process.pid}-${randomBytes(4).toString('hex')}:`;
  const channel = `${prefix}blocker-events`;
  let a: TestServer;
  let b: TestServer;
  const env = { REDIS_URL: redisUrl, REDIS_CHANNEL_PREFIX: prefix };
  /** B reaches Redis through this relay, so that the last test can take Redis away from B alone. */
  const relay = new RedisRelay(new URL(redisUrl));
  let redisReady = false;
  let monitor: Redis;
  /** Every message on this run's channel, as the test's own Redis subscriber saw it. */
  const messages: Array<{ blockerId: string; action: string }> = [];
  const open: Subscriber[] = [];
  const subscribe = (...args: Parameters<typeof Subscriber.open>): Subscriber => {
    const s = Subscriber.open(...args);
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    // Fail loudly, never skip: this test exists to prove the Redis path, and CI starts Redis.
    monitor = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    let cause: Error | null = null;
    monitor.on('error', (error: Error) => (cause ??= error));
    try {
      await monitor.connect();
      await monitor.subscribe(channel);
    } catch (error) {
      monitor.disconnect();
      throw new Error(
        `Redis is not reachable at ${redisUrl} (${(cause ?? (error as Error)).message}). The two-instance ` +
          'subscription test needs a Redis server: start one (CI does) or set REDIS_URL.',
        { cause: error },
      );
    }
    monitor.on('message', (_channel: string, message: string) => {
      const m = JSON.parse(message) as { blockerId: string; action: string };
      messages.push({ blockerId: m.blockerId, action: m.action });
    });
    await relay.open();
    redisReady = true;
  });
  // One hook per instance: each start gets the whole hook timeout.
  beforeAll(async () => {
    if (redisReady) a = await TestServer.start({ demo: true, env });
  });
  beforeAll(async () => {
    if (!redisReady) return;
    b = await TestServer.start({
      databaseUrl: a.databaseUrl,
      env: { ...env, REDIS_URL: `redis://127.0.0.1:${relay.port}` },
    });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await relay.cut();
    monitor?.disconnect();
  });

  const localId = (globalId: string): string =>
    Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

  it('a subscriber on instance A receives a change made on instance B exactly once, and the other way round', async () => {
    const onA = subscribe('steering on A', a, steering);
    const onB = subscribe('steering on B', b, steering);
    // Fences made on the other instance: they can only arrive through Redis.
    await fence(b, steering, 'KNP-1', [onA]);
    await fence(a, steering, 'KNP-1', [onB]);

    const knp2 = await blocker(b, 'KNP-2');
    const fromA = onA.mark();
    const fromB = onB.mark();
    const before = messages.length;
    await b.ok(
      UPDATE,
      { input: { id: knp2.id, expectedVersion: knp2.version, title: 'Changed on B' } },
      steering,
    );
    const seen = await onA.waitFor((e) => e.blocker.key === 'KNP-2', fromA);
    expect(seen).toMatchObject({
      action: 'blocker.updated',
      actor: { name: 'Stella Steering' },
      blocker: { key: 'KNP-2', title: 'Changed on B', version: knp2.version + 1 },
    });
    await fence(b, steering, 'KNP-1', [onA, onB]);
    expect(summary(onA.since(fromA, 'KNP-2'))).toEqual(['blocker.updated KNP-2']);
    expect(summary(onB.since(fromB, 'KNP-2'))).toEqual(['blocker.updated KNP-2']);

    // And a change made on A reaches B, and A's own subscriber, once each.
    const fromA2 = onA.mark();
    const fromB2 = onB.mark();
    await a.ok(
      TRANSITION,
      {
        input: {
          id: knp2.id,
          expectedVersion: knp2.version + 1,
          to: 'ESCALATED',
          reason: 'Needs the minister',
        },
      },
      steering,
    );
    await fence(a, steering, 'KNP-1', [onA, onB]);
    expect(summary(onB.since(fromB2, 'KNP-2'))).toEqual(['blocker.transitioned KNP-2']);
    expect(summary(onA.since(fromA2, 'KNP-2'))).toEqual(['blocker.transitioned KNP-2']);
    expect(onB.since(fromB2, 'KNP-2')[0].blocker.status).toBe('ESCALATED');

    // Each change crossed Redis as one message.
    const knp2Messages = messages.slice(before).filter((m) => m.blockerId === localId(knp2.id));
    expect(knp2Messages.map((m) => m.action)).toEqual(['blocker.updated', 'blocker.transitioned']);
  });

  it('applies the confidentiality rule to events from the other instance', async () => {
    const knp19 = await blocker(b, 'KNP-19');
    const outsider = subscribe('analyst on A', a, analyst);
    const involved = subscribe('steward of ROTTERDAM on A', a, steward('ROTTERDAM'));
    await fence(b, steering, 'KNP-3', [outsider, involved]);
    const marks = [outsider.mark(), involved.mark()];
    await b.ok(
      UPDATE,
      { input: { id: knp19.id, expectedVersion: knp19.version, description: 'Advice request sent' } },
      steering,
    );
    await fence(b, steering, 'KNP-3', [outsider, involved]);
    expect(summary(outsider.since(marks[0], 'KNP-19'))).toEqual([]);
    expect(summary(involved.since(marks[1], 'KNP-19'))).toEqual(['blocker.updated KNP-19']);
  });

  it('keeps B serving while its Redis is away, logs the outage, and delivers again once Redis is back', async () => {
    const onA = subscribe('steering on A', a, steering);
    const onB = subscribe('steering on B', b, steering);
    await fence(a, steering, 'KNP-1', [onA, onB]);

    await relay.cut();
    // B's mutations neither fail nor wait for Redis; B stays ready; A goes on as before.
    const started = Date.now();
    await touch(b, 'KNP-2', 'during the outage');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await fetch(`${b.url}/health/ready`)).ok).toBe(true);
    const fromA = onA.mark();
    await touch(a, 'KNP-4', 'on A during the outage');
    await onA.waitFor((e) => e.blocker.key === 'KNP-4', fromA);
    const deadline = Date.now() + 10_000;
    while (!/Redis \w+ connection .* is unavailable/.test(b.logs) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(b.logs).toMatch(/Redis \w+ connection .* is unavailable/);
    expect(b.logs).not.toMatch(/Unhandled error event/);

    await relay.open();
    // Put up until B has reconnected and subscribed again; then both directions work.
    await fence(b, steering, 'KNP-1', [onB, onA]);
    const fromA2 = onA.mark();
    await touch(b, 'KNP-3', 'after the outage');
    await onA.waitFor((e) => e.blocker.key === 'KNP-3', fromA2);
    const fromB2 = onB.mark();
    await touch(a, 'KNP-3', 'after the outage, on A');
    await onB.waitFor((e) => e.blocker.key === 'KNP-3', fromB2);
  });
});

// The demo data this file relies on, checked so that a change there fails here with a clear message.
describe('demo data assumptions', () => {
  it('has the providers and relations the tests above name', () => {
    const b = (key: string) => reference.blockers.find((x) => x.key === key)!;
    expect(b('B19')).toMatchObject({ confidential: true, reportingProvider: 'ROTTERDAM', owner: 'AP' });
    expect(b('B1').owner).toBe('SZW');
    expect(b('B17').owner).toBe('SZW');
    expect(b('B9')).toMatchObject({ reportingProvider: 'RVR', owner: null });
    expect(oinOf('UWV')).toMatch(/^\d{20}$/);
  });
});
