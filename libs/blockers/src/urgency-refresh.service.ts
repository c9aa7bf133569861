import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { TransactionService } from '@app/core';
import { BlockerWriter } from './blocker-writer';
import { urgencyValue } from './domain/priority';
import { PriorityService } from './priority.service';

/**
 * The urgency factor depends on the calendar: a target date comes within 365 or 90 days while nothing
 * else about the blocker changes. This keeps stored scores equal to a fresh computation as days pass:
 * every SCORE_REFRESH_INTERVAL_MS (and once at start) it finds the blockers whose stored urgency is no
 * longer today's, recomputes them (and what their score feeds) through PriorityService, and records
 * one `priority.urgency_changed` event per blocker, without an actor, in the same transaction.
 * Instances may all run it: the score lock serialises them, and the second finds nothing left to do.
 */
@Injectable()
export class UrgencyRefreshService implements OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly logger = new Logger('Priority');

  constructor(
    private readonly tx: TransactionService,
    private readonly priority: PriorityService,
    private readonly writer: BlockerWriter,
    private readonly config: AppConfig,
  ) {}

  /** Start refreshing on the configured interval (the API server calls this; commands do not). */
  start(): void {
    const interval = this.config.scoreRefreshIntervalMs;
    if (interval === 0 || this.timer) return;
    const tick = (): void => {
      void this.refresh().catch((error: unknown) =>
        this.logger.warn(`urgency refresh failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    };
    this.timer = setInterval(tick, interval);
    this.timer.unref();
    tick();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** Bring every stale urgency up to date; returns how many blockers changed. */
  refresh(): Promise<number> {
    this.running ??= this.refreshOnce().finally(() => (this.running = null));
    return this.running;
  }

  private async refreshOnce(): Promise<number> {
    const changed = await this.tx.run(async () => {
      await this.priority.lockScores();
      const today = new Date();
      const rows: Array<{ id: string; target_date: string; urgency: number | null }> =
        await this.tx.manager.query(
          `SELECT b.id, to_char(b.target_date, 'YYYY-MM-DD') AS target_date,
                  (SELECT (f->>'value')::float8 FROM jsonb_array_elements(b.priority_factors) f
                    WHERE f->>'name' = 'urgency') AS urgency
             FROM blocker b
            WHERE b.target_date IS NOT NULL`,
        );
      const stale = rows
        .map((r) => ({ ...r, now: urgencyValue(r.target_date, today) }))
        .filter((r) => r.urgency !== r.now);
      if (stale.length === 0) return 0;
      await this.priority.recompute(stale.map((r) => r.id));
      for (const r of stale) {
        await this.writer.record(null, {
          action: 'priority.urgency_changed',
          entityType: 'Blocker',
          entityId: r.id,
          blockerId: r.id,
          changes: [{ field: 'urgency', from: r.urgency, to: r.now }],
          reason: `the target date ${r.target_date} is ${describe(r.now)}`,
        });
      }
      return stale.length;
    });
    if (changed > 0) this.logger.log(`urgency brought up to date for ${changed} blockers`);
    return changed;
  }
}

function describe(urgency: number): string {
  if (urgency >= 1) return 'at most 90 days away';
  if (urgency > 0) return 'at most 365 days away';
  return 'more than 365 days away';
}
