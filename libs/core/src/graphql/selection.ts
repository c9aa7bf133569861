import { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

type Fragments = Record<string, FragmentDefinitionNode>;

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
  eachField(
    set,
    info.fragments,
    (field) => {
      if (field.name.value === name) into.push(field);
    },
    seenFragments,
  );
}

/**
 * Call `visit` for every field node of a selection set, through inline fragments and named fragment
 * spreads (each named fragment once per walk: `spread` holds the ones already entered).
 */
function eachField(
  set: SelectionSetNode | undefined,
  fragments: Fragments,
  visit: (field: FieldNode) => void,
  spread: Set<string> = new Set(),
): void {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === Kind.FIELD) visit(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT)
      eachField(selection.selectionSet, fragments, visit, spread);
    else {
      const fragment = fragments[selection.name.value];
      if (fragment && !spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        eachField(fragment.selectionSet, fragments, visit, spread);
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
    eachField(node.selectionSet, info.fragments, (field) => {
      let below = asked.get(field.name.value);
      if (!below) asked.set(field.name.value, (below = new Set()));
      const into = below;
      eachField(field.selectionSet, info.fragments, (f) => into.add(f.name.value));
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
