/**
 * Idempotent mutations: a retry with the same Idempotency-Key returns the first response and writes
 * nothing (no second blocker, no second audit event); another key runs again; the same key with
 * another request is refused; concurrent duplicates run once; queries ignore the header.
 */
import { needIds } from './support/demo';
import { TestServer, token } from './support/server';

const REPORT = `
  mutation Report($input: ReportBlockerInput!) {
    reportBlocker(input: $input) { blocker { id key title status version } possibleDuplicates { id } }
  }`;

interface Answer {
  status: number;
  replayed: boolean;
  body: {
    data?: { reportBlocker: { blocker: { id: string; key: string; title: string } } } | null;
    errors?: Array<{ message: string; extensions?: Record<string, any> }>;
  };
}

describe('Idempotency-Key on mutations', () => {
  let server: TestServer;
  let steering: string;
  let need: string;

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
    steering = token('STEERING', { sub: 'idem-steering' });
    need = (await needIds(server, steering)).N1;
  });
  afterAll(async () => server?.stop());

  const input = (title: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    title,
    description: `Idempotency test: ${title}`,
    type: 'NO_INTERFACE',
    severity: 'MEDIUM',
    affectedNeedIds: [need],
    ...extra,
  });

  async function send(
    query: string,
    variables: Record<string, unknown>,
    key: string | null,
    bearer = steering,
  ): Promise<Answer> {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${bearer}`,
        ...(key === null ? {} : { 'idempotency-key': key }),
      },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: res.status,
      replayed: res.headers.get('idempotent-replayed') === 'true',
      body: (await res.json()) as Answer['body'],
    };
  }

  const report = (title: string, key: string | null, bearer?: string, extra?: Record<string, unknown>) =>
    send(REPORT, { input: input(title, extra) }, key, bearer);

  /** Blockers with this title, and their blocker.reported audit events. */
  async function written(title: string): Promise<{ blockers: number; events: number }> {
    const { rows } = await server.db.query<{ blockers: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM blocker WHERE title = $1) AS blockers,
              (SELECT count(*)::int FROM audit_event e JOIN blocker b ON b.id = e.entity_id
               WHERE b.title = $1 AND e.action = 'blocker.reported') AS events`,
      [title],
    );
    return rows[0];
  }

  it('answers a retry with the same key with the first response and writes nothing', async () => {
    const first = await report('Idem: retried', 'key-retry-1');
    expect(first.body.errors).toBeUndefined();
    expect(first.replayed).toBe(false);
    const blockerKey = first.body.data!.reportBlocker.blocker.key;
    expect(blockerKey).toMatch(/^KNP-\d+$/);

    for (let i = 0; i < 2; i++) {
      const retry = await report('Idem: retried', 'key-retry-1');
      expect(retry.status).toBe(200);
      expect(retry.replayed).toBe(true);
      expect(retry.body.data).toEqual(first.body.data);
      expect(retry.body.errors).toBeUndefined();
    }
    expect(await written('Idem: retried')).toEqual({ blockers: 1, events: 1 });

    // The key is kept for 24 hours with the response.
    const { rows } = await server.db.query(
      `SELECT response, round(extract(epoch FROM expires_at - claimed_at) / 3600) AS hours,
              executed_at IS NOT NULL AS executed
       FROM idempotency_key WHERE key = 'key-retry-1'`,
    );
    expect(rows).toEqual([{ response: { data: first.body.data }, hours: '24', executed: true }]);
  });

  it('runs the mutation again under another key', async () => {
    const a = await report('Idem: two keys', 'key-two-a');
    const b = await report('Idem: two keys', 'key-two-b');
    const none = await report('Idem: two keys', null);
    for (const answer of [a, b, none]) expect(answer.body.errors).toBeUndefined();
    const keys = new Set([a, b, none].map((x) => x.body.data!.reportBlocker.blocker.key));
    expect(keys.size).toBe(3);
    expect(await written('Idem: two keys')).toEqual({ blockers: 3, events: 3 });
  });

  it('keeps keys apart per user', async () => {
    const other = token('STEERING', { sub: 'idem-steering-2' });
    const mine = await report('Idem: per user', 'key-shared-name');
    const theirs = await report('Idem: per user', 'key-shared-name', other);
    expect(theirs.replayed).toBe(false);
    expect(theirs.body.data!.reportBlocker.blocker.key).not.toBe(mine.body.data!.reportBlocker.blocker.key);
    expect(await written('Idem: per user')).toEqual({ blockers: 2, events: 2 });
  });

  it('refuses the same key with another request as BAD_USER_INPUT, writing nothing', async () => {
    const first = await report('Idem: original', 'key-reused');
    expect(first.body.errors).toBeUndefined();
    const reused = await report('Idem: something else', 'key-reused');
    expect(reused.status).toBe(400);
    expect(reused.body.data ?? null).toBeNull();
    expect(reused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'Idempotency-Key' }],
    });
    expect(reused.body.errors?.[0]?.message).toMatch(/another request/);
    // Other variables, the same variables in another order, another operation text.
    const sameInOtherOrder = await send(
      REPORT,
      { input: Object.fromEntries(Object.entries(input('Idem: original')).reverse()) },
      'key-reused',
    );
    expect(sameInOtherOrder.replayed).toBe(true);
    const otherText = await send(
      REPORT.replace('status version', 'status'),
      { input: input('Idem: original') },
      'key-reused',
    );
    expect(otherText.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await written('Idem: original')).toEqual({ blockers: 1, events: 1 });
    expect(await written('Idem: something else')).toEqual({ blockers: 0, events: 0 });
  });

  it('runs concurrent duplicates exactly once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => report('Idem: concurrent', 'key-concurrent')),
    );
    const served = answers.filter((a) => !a.body.errors);
    const refused = answers.filter((a) => a.body.errors);
    // The duplicates wait for the first and get its response; one that waited too long is told CONFLICT.
    for (const a of refused) {
      expect(a.status).toBe(409);
      expect(a.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', retryAfterSeconds: 1 });
      expect(a.body.errors?.[0]?.message).toMatch(/in progress/);
    }
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(served.filter((a) => !a.replayed)).toHaveLength(1);
    expect(new Set(served.map((a) => a.body.data!.reportBlocker.blocker.key)).size).toBe(1);
    expect(await written('Idem: concurrent')).toEqual({ blockers: 1, events: 1 });
  });

  it('lets go of the key when the mutation fails, so that a corrected retry runs', async () => {
    const failed = await report('Idem: failing', 'key-after-failure', undefined, { ownerId: need });
    expect(failed.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const { rows } = await server.db.query(`SELECT 1 FROM idempotency_key WHERE key = 'key-after-failure'`);
    expect(rows).toEqual([]);
    const corrected = await report('Idem: failing', 'key-after-failure');
    expect(corrected.body.errors).toBeUndefined();
    expect(corrected.replayed).toBe(false);
    expect(await written('Idem: failing')).toEqual({ blockers: 1, events: 1 });
  });

  it('refuses a malformed key', async () => {
    for (const key of ['', 'has space', 'x'.repeat(256)]) {
      const answer = await report('Idem: malformed', key);
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        fields: [{ field: 'Idempotency-Key' }],
      });
    }
    expect(await written('Idem: malformed')).toEqual({ blockers: 0, events: 0 });
  });

  it('ignores the header on queries', async () => {
    const query = '{ viewer { id name } }';
    const first = await send(query, {}, 'key-query');
    const again = await send(query, {}, 'key-query');
    for (const answer of [first, again]) {
      expect(answer.body.errors).toBeUndefined();
      expect(answer.replayed).toBe(false);
    }
    // Even with a key a mutation used: a query is neither a replay nor a reuse.
    const withMutationKey = await send(query, {}, 'key-retry-1');
    expect(withMutationKey.body.errors).toBeUndefined();
    expect(withMutationKey.replayed).toBe(false);
    const { rows } = await server.db.query(`SELECT 1 FROM idempotency_key WHERE key = 'key-query'`);
    expect(rows).toEqual([]);
  });
});
