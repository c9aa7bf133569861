import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Context, GqlExecutionContext } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { Actor } from '../actor';
import { UnauthenticatedError } from '../errors';

/** DataLoaders of one request, created on first use, so that batching never crosses users. */
export class LoaderRegistry {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();
  /** Per loader, the values its batches have delivered (errors are not kept). */
  private readonly settled = new Map<DataLoader<unknown, unknown>, Map<unknown, unknown>>();

  get<K, V>(
    name: string,
    batch: (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>,
  ): DataLoader<K, V> {
    let loader = this.loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      const settled = new Map<K, V>();
      loader = new DataLoader<K, V>(
        async (keys) => {
          const values = await batch(keys);
          for (let i = 0; i < keys.length; i++) {
            const value = values[i];
            if (!(value instanceof Error)) settled.set(keys[i], value);
          }
          return values;
        },
        { maxBatchSize: 1000 },
      );
      this.loaders.set(name, loader);
      this.settled.set(loader, settled);
    }
    return loader;
  }

  /**
   * The value of `key`: the one in hand when a batch of this loader has delivered it, else the
   * promise of `load(key)`. A resolver that returns a value in hand lets GraphQL complete its field
   * without a promise; a page whose related rows were loaded with it (see `selectedFields`) is then
   * answered without one promise per field.
   */
  value<K, V>(loader: DataLoader<K, V>, key: K): V | Promise<V> {
    const settled = this.settled.get(loader) as Map<K, V> | undefined;
    return settled !== undefined && settled.has(key) ? (settled.get(key) as V) : loader.load(key);
  }

  /** Forget cached values, e.g. after a mutation changed them. */
  clearAll(): void {
    for (const loader of this.loaders.values()) loader.clearAll();
    for (const settled of this.settled.values()) settled.clear();
  }
}

export interface GqlContext {
  actor: Actor | null;
  authError: Error | null;
  loaders: LoaderRegistry;
  requestId: string;
  idempotencyKey?: string;
  /** The client's address, for the per-address rate limit (absent over WebSocket). */
  clientIp?: string;
}

/**
 * The arguments of a field that takes none. A field resolver that needs only its parent and the GraphQL
 * context is written as `field(parent: T, _args: NoArgs, { loaders }: GqlContext)`, with no parameter
 * decorators (no `@Parent()`, `@Loaders()`): @nestjs/graphql then calls the method itself, as
 * graphql-js calls any resolver. With decorators every call goes through Nest's context creator
 * (parameter metadata, the global pipe on every parameter, a chain of promises), which cost more than
 * loading the value through a DataLoader; a list of 50 blockers with five needs each resolves some 600
 * such fields. Guards, interceptors and exception filters never apply to field resolvers
 * (`fieldResolverEnhancers` is not set), so nothing else changes. Fields with arguments keep `@Args()`,
 * which declares them.
 */
export type NoArgs = Record<string, never>;

export const contextOf = (ctx: ExecutionContext): GqlContext =>
  GqlExecutionContext.create(ctx).getContext<GqlContext>();

/** The authenticated actor; the auth guard has already refused requests without one. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const { actor, authError } = contextOf(ctx);
  if (!actor) throw authError ?? new UnauthenticatedError();
  return actor;
});

/**
 * The request's DataLoaders, read straight from the GraphQL context (`GqlContext.loaders`): unlike a
 * custom decorator, no execution context is built for it on every resolved field.
 */
export const Loaders = (): ParameterDecorator => Context('loaders');

export const PUBLIC_FIELD = 'knooppunt:public';
/** Marks a root field that answers without a token (the health check). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_FIELD, true);

/** Order loader results by the keys asked for; missing keys get null. */
export function byKeys<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): Array<T | null> {
  const map = new Map<K, T>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((key) => map.get(key) ?? null);
}

/** Group loader results by the keys asked for; missing keys get an empty list. */
export function groupByKeys<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return keys.map((key) => map.get(key) ?? []);
}
