import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { AuditEventResolver } from '@app/audit/api/audit.resolver';
import { UserResolver } from '@app/auth/api';
import { BlockerEventsResolver } from '@app/blockers/api/blocker-events.resolver';
import * as extensions from '@app/blockers/api/blocker-extensions.resolver';
import { BlockersResolver } from '@app/blockers/api/blockers.resolver';
import { NeedsResolver, ProviderNeedsResolver } from '@app/needs/api';
import * as providers from '@app/providers/api/providers.resolver';

/** Where @nestjs/graphql marks a @ResolveField method and records parameter decorators (not exported). */
const RESOLVER_PROPERTY_METADATA = 'graphql:resolve_property';
const PARAM_ARGS_METADATA = ROUTE_ARGS_METADATA;

/** GqlParamtype of @nestjs/graphql (not exported): what `@Parent()` and `@Context()` record. */
const ROOT = 0;
const CONTEXT = 1;

type ResolverClass = { name: string; prototype: object };

const candidates: unknown[] = [
  AuditEventResolver,
  UserResolver,
  BlockerEventsResolver,
  ...Object.values(extensions),
  BlockersResolver,
  NeedsResolver,
  ProviderNeedsResolver,
  ...Object.values(providers),
];
const resolvers = candidates.filter((value): value is ResolverClass => typeof value === 'function');

function fieldResolvers(): Array<{ name: string; paramTypes: number[] }> {
  return resolvers.flatMap((resolver) =>
    Object.getOwnPropertyNames(resolver.prototype)
      .filter((method) => {
        const fn: unknown = Reflect.get(resolver.prototype, method);
        return typeof fn === 'function' && Reflect.getMetadata(RESOLVER_PROPERTY_METADATA, fn) === true;
      })
      .map((method) => {
        const params = (Reflect.getMetadata(PARAM_ARGS_METADATA, resolver, method) ?? {}) as Record<
          string,
          unknown
        >;
        return {
          name: `${resolver.name}.${method}`,
          paramTypes: Object.keys(params).map((key) => Number(key.split(':')[0])),
        };
      }),
  );
}

describe('field resolvers', () => {
  it('are found on the resolver classes', () => {
    const names = fieldResolvers().map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'NeedsResolver.requester',
        'NeedsResolver.supplier',
        'BlockersResolver.reportingProvider',
        'BlockersResolver.owner',
        'BlockersResolver.affectedNeeds',
      ]),
    );
  });

  it('that need only their parent and the GraphQL context take them without parameter decorators', () => {
    const decoratedNeedlessly = fieldResolvers()
      .filter((f) => f.paramTypes.length > 0 && f.paramTypes.every((t) => t === ROOT || t === CONTEXT))
      .map((f) => f.name);
    expect(decoratedNeedlessly).toEqual([]);
  });

  it('of the list that repeat per row have no parameter decorators', () => {
    const hot = fieldResolvers().filter((f) =>
      [
        'NeedsResolver.requester',
        'NeedsResolver.supplier',
        'BlockersResolver.reportingProvider',
        'BlockersResolver.owner',
      ].includes(f.name),
    );
    expect(hot).toHaveLength(4);
    for (const field of hot) expect(field.paramTypes).toEqual([]);
  });

  it('of the list with arguments take them through @FieldArgs(), without parameter decorators', () => {
    const affectedNeeds = fieldResolvers().find((f) => f.name === 'BlockersResolver.affectedNeeds');
    expect(affectedNeeds?.paramTypes).toEqual([]);
  });
});
