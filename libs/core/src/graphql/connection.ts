import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { DEFAULT_PAGE_SIZE, Page } from '../pagination';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;
  @Field()
  hasPreviousPage: boolean;
  @Field(() => String, { nullable: true })
  startCursor: string | null;
  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface ConnectionShape<T> {
  edges: Array<{ cursor: string; node: T }>;
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number | Promise<number>;
}

/** The Relay connection and edge types for a node type, named `<Name>Connection` and `<Name>Edge`. */
export function Connection<T>(nodeType: Type<T>, name: string): Type<ConnectionShape<T>> {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field()
    cursor: string;
    @Field(() => nodeType)
    node: T;
  }

  @ObjectType(`${name}Connection`, { isAbstract: false })
  class ConnectionType {
    @Field(() => [Edge])
    edges: Edge[];
    @Field(() => [nodeType])
    nodes: T[];
    @Field(() => PageInfo)
    pageInfo: PageInfo;
    @Field(() => Int)
    totalCount: number | Promise<number>;
  }
  return ConnectionType;
}

/**
 * The connection of a page. Edges, page info and the count are getters: what a client does not select
 * is never built (cursors encoded, the count query run).
 */
export function toConnection<T>(page: Page<T>): ConnectionShape<T> {
  return {
    get edges() {
      const cursors = page.cursors;
      return page.nodes.map((node, i) => ({ cursor: cursors[i], node }));
    },
    nodes: page.nodes,
    get pageInfo() {
      const cursors = page.cursors;
      return {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: page.hasPreviousPage,
        startCursor: cursors[0] ?? null,
        endCursor: cursors[cursors.length - 1] ?? null,
      };
    },
    get totalCount() {
      return page.totalCount();
    },
  };
}

/**
 * `first` and `after` of a connection field whose resolver is a plain function (`@FieldArgs()`); the
 * schema is the one `@Args('first', { defaultValue: 50 })` and `@Args('after')` give.
 */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE })
  first?: number | null;
  @Field(() => String, { nullable: true })
  after?: string | null;
}
