/**
 * The audit trail's hash chain against someone with write access to the database: the append-only
 * triggers refuse changes, and when a superuser switches them off and rewrites or removes an event,
 * `audit:verify` names the first broken link and exits 3.
 */
import { runCommand, TestServer } from './support/server';

describe('audit chain tampering', () => {
  let server: TestServer;

  /** Run SQL with the append-only trigger switched off, as only a superuser or the owner can. */
  const tamper = async (sql: string): Promise<void> => {
    await server.db.query(`ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only`);
    try {
      await server.db.query(sql);
    } finally {
      await server.db.query(`ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only`);
    }
  };

  beforeEach(async () => {
    // The demo data writes its events through the chain.
    server = await TestServer.start({ demo: true });
  });
  afterEach(async () => server?.stop());

  it('verifies an untouched chain', async () => {
    const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_event');
    expect(rows[0].n).toBeGreaterThan(10);
    const result = await runCommand('audit:verify', server.databaseUrl);
    expect(result.stdout.trim()).toBe(`audit chain intact: ${rows[0].n} events verified`);
    expect(result.code).toBe(0);
  });

  it('refuses UPDATE, DELETE and TRUNCATE while the triggers are on', async () => {
    for (const sql of [
      `UPDATE audit_event SET reason = 'x' WHERE chain_seq = 1`,
      `DELETE FROM audit_event WHERE chain_seq = 1`,
      `TRUNCATE audit_event`,
    ]) {
      await expect(server.db.query(sql)).rejects.toThrow(
        /^audit_event is append-only: (UPDATE|DELETE|TRUNCATE) refused$/,
      );
    }
  });

  it('names the first rewritten event and exits 3', async () => {
    const { rows } = await server.db.query<{ id: string }>('SELECT id FROM audit_event WHERE chain_seq = 7');
    await tamper(
      `UPDATE audit_event SET changes = '[]'::jsonb, reason = 'nothing happened' WHERE chain_seq = 7`,
    );
    // A later event rewritten too: the report names the first.
    await tamper(`UPDATE audit_event SET reason = 'also rewritten' WHERE chain_seq = 9`);
    const result = await runCommand('audit:verify', server.databaseUrl);
    expect(result.stdout.trim()).toBe(
      `audit chain BROKEN at event 7 of the chain (audit_event id ${rows[0].id}): its content does not match its hash; 6 events before it verified`,
    );
    expect(result.code).toBe(3);
  });

  it('names a removed event and exits 3', async () => {
    await tamper(`DELETE FROM audit_event WHERE chain_seq = 4`);
    const result = await runCommand('audit:verify', server.databaseUrl);
    expect(result.stdout).toMatch(
      /^audit chain BROKEN at event 5 of the chain .*: event 4 of the chain is missing; 3 events before it verified$/m,
    );
    expect(result.code).toBe(3);
  });

  it('names the event after one whose content and hash were both rewritten', async () => {
    // A careful forger recomputes the rewritten event's hash; the next event's link gives it away.
    await tamper(`UPDATE audit_event SET reason = 'forged' WHERE chain_seq = 5`);
    await tamper(`UPDATE audit_event e SET hash = audit_event_digest(e, e.prev_hash) WHERE chain_seq = 5`);
    const result = await runCommand('audit:verify', server.databaseUrl);
    expect(result.stdout).toMatch(
      /^audit chain BROKEN at event 6 of the chain .*: its link does not match the previous event’s hash; 5 events before it verified$/m,
    );
    expect(result.code).toBe(3);
  });

  describe('sealed at commit (ADR 14)', () => {
    const insertEvent = (client: { query: (sql: string) => Promise<unknown> }, extra = '') =>
      client.query(
        `INSERT INTO audit_event (action, entity_type, entity_id, changes${extra ? ', chain_seq, hash' : ''})
         VALUES ('test.sealed', 'Test', gen_random_uuid(), '[]'::jsonb${extra})`,
      );

    it('gives an event its place only when its transaction commits, whatever the insert said', async () => {
      const { rows: before } = await server.db.query<{ n: string }>(
        'SELECT max(chain_seq) AS n FROM audit_event',
      );
      const client = await server.db.connect();
      try {
        await client.query('BEGIN');
        await insertEvent(client, `, 1, repeat('0', 64)`);
        await insertEvent(client);
        // Inside the transaction: unsealed, whatever the client sent.
        const { rows: inside } = await client.query(
          `SELECT chain_seq, hash FROM audit_event WHERE action = 'test.sealed' ORDER BY id`,
        );
        expect(inside).toEqual([
          { chain_seq: null, hash: null },
          { chain_seq: null, hash: null },
        ]);
        // Its content cannot be changed before the seal either.
        await expect(
          client.query(`UPDATE audit_event SET reason = 'changed' WHERE action = 'test.sealed'`),
        ).rejects.toThrow(/^audit_event is append-only: UPDATE refused$/);
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
      const sealed = await server.db.connect();
      try {
        await sealed.query('BEGIN');
        await insertEvent(sealed, `, 1, repeat('0', 64)`);
        await insertEvent(sealed);
        await sealed.query('COMMIT');
      } finally {
        sealed.release();
      }
      // The rolled-back events took no place; the committed ones the next two, in the order written.
      const { rows } = await server.db.query<{ chain_seq: string }>(
        `SELECT chain_seq FROM audit_event WHERE action = 'test.sealed' ORDER BY id`,
      );
      const last = Number(before[0].n);
      expect(rows.map((r) => Number(r.chain_seq))).toEqual([last + 1, last + 2]);
      const result = await runCommand('audit:verify', server.databaseUrl);
      expect(result.stdout.trim()).toBe(`audit chain intact: ${last + 2} events verified`);
      expect(result.code).toBe(0);
    });

    it('keeps the chain whole under many writers at once', async () => {
      // As many connections as the test pool holds, each writing transactions of two events.
      const clients = await Promise.all(Array.from({ length: 4 }, () => server.db.connect()));
      try {
        await Promise.all(
          clients.map(async (client) => {
            for (let i = 0; i < 20; i += 1) {
              await client.query('BEGIN');
              await insertEvent(client);
              await insertEvent(client);
              await client.query('COMMIT');
            }
          }),
        );
      } finally {
        for (const client of clients) client.release();
      }
      const { rows } = await server.db.query<{ n: number; unsealed: number }>(
        'SELECT count(*)::int AS n, count(*) FILTER (WHERE hash IS NULL OR chain_seq IS NULL)::int AS unsealed FROM audit_event',
      );
      expect(rows[0].unsealed).toBe(0);
      const result = await runCommand('audit:verify', server.databaseUrl);
      expect(result.stdout.trim()).toBe(`audit chain intact: ${rows[0].n} events verified`);
      expect(result.code).toBe(0);
    });
  });
});
