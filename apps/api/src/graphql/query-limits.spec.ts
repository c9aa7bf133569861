import { buildSchema, parse } from 'graphql';
import { checkLimits, measure, measureOnce } from './query-limits';

const schema = buildSchema(`
  type Query { items(first: Int = 50, after: String): ItemConnection!  item(id: ID!): Item  tags: [String!]!  pick(ids: [ID!]!): [Item!]! }
  type ItemConnection { nodes: [Item!]! edges: [ItemEdge!]! totalCount: Int! }
  type ItemEdge { node: Item! cursor: String! }
  type Item { id: ID! name: String! children(first: Int = 50): ItemConnection! related: [Item!]! }
`);

const m = (query: string, variables: Record<string, unknown> = {}) =>
  measure(schema, parse(query), null, variables);

describe('query measures', () => {
  it('counts one per field and multiplies what a connection selects by its first', () => {
    expect(m('{ item(id: 1) { id name } }').cost).toBe(3);
    // items: 1 + 5 x (nodes: 1 + 1 x (id 1 + name 1)) = 1 + 5 x 3
    expect(m('{ items(first: 5) { nodes { id name } } }').cost).toBe(16);
    // the argument's default (50) applies when first is not given
    expect(m('{ items { nodes { id } } }').cost).toBe(1 + 50 * 2);
    expect(m('query ($n: Int) { items(first: $n) { nodes { id } } }', { n: 7 }).cost).toBe(1 + 7 * 2);
  });

  it('nests multipliers and estimates plain lists', () => {
    expect(m('{ items(first: 10) { nodes { children(first: 10) { nodes { id } } } } }').cost).toBe(
      1 + 10 * (1 + 1 * (1 + 10 * (1 + 1))),
    );
    expect(m('{ item(id: 1) { related { id } } }').cost).toBe(1 + (1 + 10 * 1));
    expect(m('{ pick(ids: [1, 2, 3]) { id } }').cost).toBe(1 + 3);
  });

  it('measures depth, aliases and root fields', () => {
    const r = m('{ a: item(id: 1) { id } b: item(id: 2) { related { related { id } } } tags }');
    expect(r.aliases).toBe(2);
    expect(r.rootFields).toBe(3);
    expect(r.depth).toBe(4);
  });

  it('measures fragments where they are spread, so they hide nothing', () => {
    const direct = m('{ items(first: 20) { nodes { children(first: 20) { nodes { id name } } } } }');
    const viaFragments = m(`
      fragment Kids on Item { children(first: 20) { ...Names } }
      fragment Names on ItemConnection { nodes { id name } }
      { items(first: 20) { nodes { ...Kids } } }`);
    expect(viaFragments.cost).toBe(direct.cost);
    expect(viaFragments.depth).toBe(direct.depth);
  });

  it('reports the first exceeded limit with its measure', () => {
    const limits = { maxDepth: 3, maxCost: 100, maxAliases: 1, maxRootFields: 5 };
    expect(checkLimits(m('{ item(id: 1) { id } }'), limits)).toBeNull();
    expect(
      checkLimits(m('{ item(id: 1) { related { related { id } } } }'), limits)?.extensions,
    ).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      measure: 'depth',
      limit: 3,
    });
    expect(checkLimits(m('{ items(first: 100) { nodes { id } } }'), limits)?.extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      measure: 'cost',
      cost: 201,
      limit: 100,
    });
    expect(
      checkLimits(m('{ a: item(id: 1) { id } b: item(id: 1) { id } }'), limits)?.extensions?.measure,
    ).toBe('aliases');
  });

  it('remembers measures per parsed document and per value of the variables sizes come from', () => {
    const doc = parse(`query ($n: Int, $id: ID!, $ids: [ID!]!) {
      items(first: $n) { nodes { id } } item(id: $id) { id } pick(ids: $ids) { id } }`);
    const once = (variables: Record<string, unknown>) => measureOnce(schema, doc, null, variables);
    const fresh = (variables: Record<string, unknown>) => measure(schema, doc, null, variables);
    const a = { n: 7, id: '1', ids: ['1', '2'] };
    expect(once(a)).toEqual(fresh(a));
    expect(once({ ...a, id: '2' })).toBe(once(a));
    for (const v of [
      { ...a, n: 3 },
      { ...a, n: null },
      { ...a, ids: ['1', '2', '3'] },
      { id: '1', ids: [] },
    ]) {
      expect(once(v)).toEqual(fresh(v));
    }
    expect(once({ ...a, n: 3 }).cost).not.toBe(once(a).cost);
  });
});
