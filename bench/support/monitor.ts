/**
 * Watches the database side of a server under test: the CPU time of its PostgreSQL backends (found by
 * application_name in pg_stat_activity), and whether it has gone quiet after a load.
 */
import { Client } from 'pg';
import { cpuMs } from './load';

export class DatabaseMonitor {
  private constructor(
    private readonly client: Client,
    private readonly database: string,
  ) {}

  static async connect(url: string): Promise<DatabaseMonitor> {
    const client = new Client({ connectionString: url, application_name: 'knooppunt-bench-monitor' });
    await client.connect();
    return new DatabaseMonitor(client, decodeURIComponent(new URL(url).pathname.slice(1)));
  }

  private async backends(applicationName: string): Promise<Array<{ pid: number; state: string | null }>> {
    const res = await this.client.query<{ pid: number; state: string | null }>(
      'SELECT pid, state FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
      [this.database, applicationName],
    );
    return res.rows;
  }

  /** CPU time (ms) of each backend of this application, or null when /proc cannot be read. */
  async cpuByBackend(applicationName: string): Promise<Map<number, number> | null> {
    const times = new Map<number, number>();
    for (const { pid } of await this.backends(applicationName)) {
      const ms = cpuMs(pid);
      if (ms === null) return null;
      times.set(pid, ms);
    }
    return times;
  }

  /**
   * Wait until the server has finished what the load left in flight (autocannon stops sending, the
   * server does not stop working): no active statement of the application and the server process
   * nearly idle for half a second. Gives up after `maxSeconds`.
   */
  async settle(applicationName: string, serverPid: number | undefined, maxSeconds = 300): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < maxSeconds * 1000) {
      const busy = (await this.backends(applicationName)).some((b) => b.state === 'active');
      const before = cpuMs(serverPid);
      await new Promise((r) => setTimeout(r, 500));
      const after = cpuMs(serverPid);
      const idle = before === null || after === null || after - before <= 50;
      if (!busy && idle) break;
    }
    return Math.round((Date.now() - started) / 100) / 10;
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
