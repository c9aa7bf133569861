import { buildSchema, FieldNode, GraphQLResolveInfo, Kind, OperationDefinitionNode, parse } from 'graphql';
import { asksOnly, fieldsAsked, selectedFields, selects } from './selection';

const schema = buildSchema(`
  type Provider { id: ID! name: String! }
  type Need { id: ID! requester: Provider! supplier: Provider! }
  type NeedConnection { totalCount: Int! nodes: [Need!]! edges: [NeedEdge!]! }
  type NeedEdge { node: Need! }
  type Blocker { id: ID! owner: Provider affectedNeeds(first: Int): NeedConnection! }
  type BlockerEdge { node: Blocker! }
  type BlockerConnection { nodes: [Blocker!]! edges: [BlockerEdge!]! }
  type Query { blockers: BlockerConnection! }
`);

/** The resolve info of the first root field of this document (only what the walks read). */
function infoOf(source: string): GraphQLResolveInfo {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [])),
  );
  const root = operation.selectionSet.selections[0] as FieldNode;
  return { fieldNodes: [root], fragments, schema, variableValues: {} } as unknown as GraphQLResolveInfo;
}

describe('selectedFields', () => {
  it('follows a path of field names, whatever their aliases', () => {
    const info = infoOf(
      `{ blockers { nodes { id o: owner { id } n: affectedNeeds(first: 5) { totalCount } } } }`,
    );
    expect(selectedFields(info, ['nodes', 'owner']).map((f) => f.alias?.value)).toEqual(['o']);
    expect(selectedFields(info, ['nodes', 'affectedNeeds'])).toHaveLength(1);
    expect(selects(info, ['nodes', 'id'])).toBe(true);
    expect(selects(info, ['edges', 'node', 'owner'])).toBe(false);
    expect(selects(info, ['nodes', 'owner', 'name'])).toBe(false);
  });

  it('looks into inline fragments and named fragments, each selection of a name on its own', () => {
    const info = infoOf(`
      { blockers { nodes { ...B ... on Blocker { first: affectedNeeds(first: 1) { nodes { id } } } }
                   edges { node { ...B } } } }
      fragment B on Blocker { owner { id } affectedNeeds(first: 5) { nodes { requester { id } } } }`);
    expect(selectedFields(info, ['nodes', 'affectedNeeds'])).toHaveLength(2);
    expect(selects(info, ['edges', 'node', 'owner'])).toBe(true);
    const [five, one] = selectedFields(info, ['nodes', 'affectedNeeds']);
    expect(selects(info, ['nodes', 'requester'], [five])).toBe(true);
    expect(selects(info, ['nodes', 'requester'], [one])).toBe(false);
  });

  it('stops at a fragment that spreads itself', () => {
    const info = infoOf(`{ blockers { nodes { ...B } } } fragment B on Blocker { id ...B }`);
    expect(selects(info, ['nodes', 'id'])).toBe(true);
  });
});

const asked = (query: string): Record<string, string[]> =>
  Object.fromEntries([...fieldsAsked(infoOf(query))].map(([field, below]) => [field, [...below].sort()]));

describe('fieldsAsked', () => {
  it('lists the fields asked below each field of the resolved one', () => {
    expect(
      asked('{ blockerImpact(id: "x") { blocker { id key } peopleAffectedPerYear affectedNeeds { id } } }'),
    ).toEqual({
      blocker: ['id', 'key'],
      peopleAffectedPerYear: [],
      affectedNeeds: ['id'],
    });
  });

  it('merges aliases, repeated fields, named and inline fragments (nested ones too)', () => {
    const query = `query { blockerImpact(id: "x") { ...Impact a: affectedNeeds { id } affectedNeeds { purpose } } }
      fragment Impact on BlockerImpact { affectedNeeds { ...Need } ... on BlockerImpact { dependents { key } } }
      fragment Need on DataNeed { __typename ... on DataNeed { requester { name } } }`;
    expect(asked(query)).toEqual({
      affectedNeeds: ['__typename', 'id', 'purpose', 'requester'],
      dependents: ['key'],
    });
  });

  it('counts a field under @skip or @include as asked', () => {
    expect(
      asked('query($s: Boolean!) { blockerImpact(id: "x") { affectedNeeds { id purpose @skip(if: $s) } } }'),
    ).toEqual({ affectedNeeds: ['id', 'purpose'] });
  });

  it('does not loop on a fragment that spreads itself', () => {
    const query = `{ blockerImpact(id: "x") { affectedNeeds { ...N } } } fragment N on DataNeed { id ...N }`;
    expect(asked(query)).toEqual({ affectedNeeds: ['id'] });
  });
});

describe('asksOnly', () => {
  const answerable = new Set(['id', 'key']);
  it('is true when every field asked is answerable, or nothing is asked', () => {
    const fields = fieldsAsked(
      infoOf('{ blockerImpact(id: "x") { blocker { id key } dependents { key title } } }'),
    );
    expect(asksOnly(fields, 'blocker', answerable)).toBe(true);
    expect(asksOnly(fields, 'dependents', answerable)).toBe(false);
    expect(asksOnly(fields, 'prerequisites', answerable)).toBe(true);
  });
});
