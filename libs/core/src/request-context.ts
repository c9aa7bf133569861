import { AsyncLocalStorage } from 'node:async_hooks';

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
