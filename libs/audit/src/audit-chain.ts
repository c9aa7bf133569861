import { DataSource } from 'typeorm';

export interface ChainReport {
  events: number;
  ok: boolean;
  /** The first event whose hash or link does not match, when the chain is broken. */
  firstBroken?: { chainSeq: string; id: string; reason: string };
}

const BATCH = 5000;

/**
 * Walks the audit chain in order and recomputes every hash in the database (the same digest function
 * the insert trigger uses). Reports the first event whose content no longer matches its hash, whose
 * link does not point at the previous event's hash, or where a position in the chain is missing.
 */
export async function verifyAuditChain(dataSource: DataSource): Promise<ChainReport> {
  let previousHash: string | null = null;
  let expectedSeq = 1n;
  let events = 0;
  for (;;) {
    const rows: Array<{
      chain_seq: string;
      id: string;
      prev_hash: string | null;
      hash: string;
      recomputed: string;
    }> = await dataSource.query(
      `SELECT e.chain_seq, e.id, e.prev_hash, e.hash, audit_event_digest(e, e.prev_hash) AS recomputed
         FROM audit_event e WHERE e.chain_seq >= $1 ORDER BY e.chain_seq LIMIT $2`,
      [expectedSeq.toString(), BATCH],
    );
    for (const row of rows) {
      const broken = (reason: string): ChainReport => ({
        events,
        ok: false,
        firstBroken: { chainSeq: row.chain_seq, id: row.id, reason },
      });
      if (BigInt(row.chain_seq) !== expectedSeq)
        return broken(`event ${expectedSeq.toString()} of the chain is missing`);
      if (row.prev_hash !== previousHash) return broken('its link does not match the previous event’s hash');
      if (row.recomputed !== row.hash) return broken('its content does not match its hash');
      previousHash = row.hash;
      expectedSeq += 1n;
      events += 1;
    }
    if (rows.length < BATCH) return { events, ok: true };
  }
}
