import { FragmentDefinitionNode, GraphQLResolveInfo, Kind, OperationDefinitionNode, parse } from 'graphql';
import { asksOnly, fieldsAsked } from './selection';

/** The parts of a resolve info fieldsAsked reads, for the first root field of a query. */
function infoOf(query: string): GraphQLResolveInfo {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const root = operation.selectionSet.selections[0];
  return { fieldNodes: [root], fragments } as unknown as GraphQLResolveInfo;
}

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
