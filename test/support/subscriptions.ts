/**
 * GraphQL subscriptions over WebSocket (graphql-ws, the protocol the server speaks at /graphql) for
 * the e2e tests: open one with a token, collect its events, wait for them, and fence.
 *
 * A fence proves that a subscriber has seen everything published before it: one instance publishes
 * its changes in commit order and each subscriber receives them in that order, so once the event of a
 * change made after the others has arrived, every earlier event that was for this subscriber has too.
 * Tests that assert that an event did NOT arrive make their changes, then a fence, and look then;
 * there is no sleeping and hoping.
 */
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { TestServer } from './server';

export interface BlockerEvent {
  action: string;
  at: string;
  actor: { name: string } | null;
  blocker: {
    id: string;
    key: string;
    title: string;
    description: string;
    status: string;
    severity: string;
    version: number;
    confidential: boolean;
  };
}

export const BLOCKER_EVENTS = `
  subscription Events($providerId: ID) {
    blockerEvents(providerId: $providerId) {
      action at actor { name }
      blocker { id key title description status severity version confidential }
    }
  }`;

export interface FormattedError {
  message: string;
  extensions?: Record<string, unknown>;
}

const COMMENT = `mutation Fence($input: AddCommentInput!) { addComment(input: $input) { id } }`;
const BLOCKER_ID = `query Id($key: String!) { blocker(key: $key) { id } }`;

export class Subscriber {
  readonly events: BlockerEvent[] = [];
  /** What the server refused the subscription with (an `error` message), or a failure of the socket. */
  errors: FormattedError[] | null = null;
  failure: unknown = null;
  completed = false;
  private readonly client: Client;
  private readonly waiters = new Set<() => void>();
  private readonly ended: Promise<void>;

  private constructor(
    private readonly label: string,
    server: TestServer,
    bearer: string | null,
    query: string,
    variables: Record<string, unknown>,
  ) {
    this.client = createClient({
      url: `${server.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: bearer ? { Authorization: `Bearer ${bearer}` } : {},
      retryAttempts: 0,
      lazy: true,
    });
    this.ended = new Promise((resolve) => {
      this.client.subscribe<{ blockerEvents: BlockerEvent }>(
        { query, variables },
        {
          next: (result) => {
            if (result.errors) this.errors = result.errors as FormattedError[];
            if (result.data) this.events.push(result.data.blockerEvents);
            this.wake();
          },
          error: (error: unknown) => {
            if (Array.isArray(error)) this.errors = error as FormattedError[];
            else this.failure = error;
            resolve();
            this.wake();
          },
          complete: () => {
            this.completed = true;
            resolve();
            this.wake();
          },
        },
      );
    });
  }

  /** Subscribe to blockerEvents (or another operation) as the holder of `bearer` (none: anonymous). */
  static open(
    label: string,
    server: TestServer,
    bearer: string | null,
    variables: Record<string, unknown> = {},
    query = BLOCKER_EVENTS,
  ): Subscriber {
    return new Subscriber(label, server, bearer, query, variables);
  }

  /** Events after position `from` (see `mark`), optionally only those of one blocker. */
  since(from: number, key?: string): BlockerEvent[] {
    return this.events.slice(from).filter((e) => key === undefined || e.blocker.key === key);
  }

  /** The current position in the events, for `since`. */
  mark(): number {
    return this.events.length;
  }

  /** Wait until an event after `from` satisfies `match`, and return it. */
  async waitFor(
    match: (event: BlockerEvent) => boolean,
    from = 0,
    timeoutMs = 10_000,
    what = 'the expected event',
  ): Promise<BlockerEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      if (this.errors || this.failure || this.completed) {
        throw new Error(`${this.label}: the subscription ended (${this.describeEnd()}) before ${what}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `${this.label}: no ${what} within ${timeoutMs} ms; received: ${JSON.stringify(
            this.events.slice(from).map((e) => `${e.action} ${e.blocker.key}`),
          )}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        const waiters = this.waiters;
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
        waiters.add(done);
      });
    }
  }

  /** Wait until the server has refused or ended the subscription. */
  async end(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.label}: the subscription did not end`)), timeoutMs);
    });
    try {
      await Promise.race([this.ended, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private describeEnd(): string {
    if (this.errors) return JSON.stringify(this.errors);
    if (this.failure instanceof Error) return this.failure.message;
    // graphql-ws reports a closed socket as its close event.
    if (this.failure) return `socket closed: ${JSON.stringify(this.failure, ['code', 'reason'])}`;
    return 'completed';
  }
}

/**
 * Comment on a blocker as `bearer` (on `server`), and wait until each subscriber has received that
 * comment's event: from then on, each has seen every earlier change of this server meant for it.
 * A subscriber that is not listening yet gets no event; the fence is then put up again, so that this
 * also waits until new subscriptions are live.
 */
export async function fence(
  server: TestServer,
  bearer: string,
  key: string,
  subscribers: Subscriber[],
  attempts = 20,
): Promise<void> {
  const { blocker } = await server.ok<{ blocker: { id: string } }>(BLOCKER_ID, { key }, bearer);
  let pending = subscribers;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const marks = new Map(pending.map((s) => [s, s.mark()]));
    await server.ok(COMMENT, { input: { blockerId: blocker.id, body: `fence ${attempt}` } }, bearer);
    const waitMs = attempt < attempts ? 1_000 : 10_000;
    const results = await Promise.allSettled(
      pending.map((s) =>
        s.waitFor(
          (e) => e.action === 'comment.added' && e.blocker.key === key,
          marks.get(s),
          waitMs,
          `fence on ${key}`,
        ),
      ),
    );
    const failed = pending.filter((_, i) => results[i].status === 'rejected');
    if (attempt >= attempts && failed.length > 0) {
      throw (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
    }
    pending = failed;
  }
}
