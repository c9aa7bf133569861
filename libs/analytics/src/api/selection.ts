import { FragmentDefinitionNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

type Fragments = Record<string, FragmentDefinitionNode>;

/** Call `visit` for every field of a selection set, fragments (named and inline) included. */
function eachField(
  set: SelectionSetNode | undefined,
  fragments: Fragments,
  visit: (name: string, selection: SelectionSetNode | undefined) => void,
  spread: ReadonlySet<string> = new Set(),
): void {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) visit(selection.name.value, selection.selectionSet);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      eachField(selection.selectionSet, fragments, visit, spread);
    else if (!spread.has(selection.name.value)) {
      const fragment = fragments[selection.name.value];
      if (fragment) {
        eachField(fragment.selectionSet, fragments, visit, new Set([...spread, selection.name.value]));
      }
    }
  }
}

/**
 * The fields a query asks of each field of the resolved field's value: for `blockerImpact { blocker
 * { id key } affectedNeeds { id } }`, blocker -> {id, key} and affectedNeeds -> {id}. Aliases, every
 * occurrence and fragments are merged; @skip and @include are not evaluated, so a field under them
 * counts as asked (the set may be larger than what is answered, never smaller).
 */
export function fieldsAsked(info: GraphQLResolveInfo): Map<string, Set<string>> {
  const asked = new Map<string, Set<string>>();
  for (const node of info.fieldNodes) {
    eachField(node.selectionSet, info.fragments, (name, selection) => {
      let below = asked.get(name);
      if (!below) asked.set(name, (below = new Set()));
      const into = below;
      eachField(selection, info.fragments, (field) => into.add(field));
    });
  }
  return asked;
}

/** Does the query ask of `field` only what `answerable` names (nothing counts as only)? */
export function asksOnly(
  asked: ReadonlyMap<string, ReadonlySet<string>>,
  field: string,
  answerable: ReadonlySet<string>,
): boolean {
  for (const f of asked.get(field) ?? []) if (!answerable.has(f)) return false;
  return true;
}
