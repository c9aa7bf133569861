import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';

/** Per-request facts that deep layers need without threading them through every call. */
export interface RequestScope {
  requestId: string;
  /** SQL statements sent while serving this request (see the database logger). */
  sqlStatements: number;
  /** The authenticated user's token subject, once known (request logs). */
  subject?: string;
  /** The GraphQL operation's name and type, once resolved (request logs, metrics). */
  operationName?: string;
  operationType?: string;
  /**
   * Runs first in every transaction the request opens (TransactionService.run); throwing refuses the
   * transaction. The idempotency plugin uses it to commit a key's claim together with the mutation.
   */
  transactionGuard?: (manager: EntityManager) => Promise<void>;
}

const storage = new AsyncLocalStorage<RequestScope>();

export const RequestScopes = {
  run<T>(scope: RequestScope, fn: () => T): T {
    return storage.run(scope, fn);
  },
  current(): RequestScope | undefined {
    return storage.getStore();
  },
  countStatement(): void {
    const scope = storage.getStore();
    if (scope) scope.sqlStatements += 1;
  },
};
