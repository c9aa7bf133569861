import { FieldNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

/**
 * The field nodes a client selected at `path` below the field being resolved, e.g.
 * `['nodes', 'affectedNeeds']` under `blockers`: each step follows the fields of that name (by field
 * name, whatever their alias) through inline fragments and named fragment spreads. Type conditions and
 * `@skip`/`@include` are not evaluated: the answer may name a field that will not be resolved, never
 * miss one that will. For looking ahead (loading what the fields below will ask for in one go); what a
 * field answers is still decided by its own resolver. `from` starts the walk elsewhere than at the
 * field being resolved (at field nodes an earlier call returned).
 */
export function selectedFields(
  info: GraphQLResolveInfo,
  path: readonly string[],
  from: readonly FieldNode[] = info.fieldNodes,
): FieldNode[] {
  let current: readonly FieldNode[] = from;
  for (const name of path) {
    const next: FieldNode[] = [];
    for (const node of current) {
      if (node.selectionSet) collect(info, node.selectionSet, name, next, new Set());
    }
    if (next.length === 0) return [];
    current = next;
  }
  return [...current];
}

/** Whether a client selected anything at `path` (see `selectedFields`). */
export function selects(
  info: GraphQLResolveInfo,
  path: readonly string[],
  from: readonly FieldNode[] = info.fieldNodes,
): boolean {
  return selectedFields(info, path, from).length > 0;
}

function collect(
  info: GraphQLResolveInfo,
  set: SelectionSetNode,
  name: string,
  into: FieldNode[],
  seenFragments: Set<string>,
): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) into.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(info, selection.selectionSet, name, into, seenFragments);
    } else {
      const fragmentName = selection.name.value;
      const fragment = info.fragments[fragmentName];
      if (fragment && !seenFragments.has(fragmentName)) {
        seenFragments.add(fragmentName);
        collect(info, fragment.selectionSet, name, into, seenFragments);
      }
    }
  }
}
