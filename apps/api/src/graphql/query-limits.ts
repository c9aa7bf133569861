import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLField,
  GraphQLInterfaceType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
  valueFromASTUntyped,
} from 'graphql';

export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxRootFields: number;
}

export interface QueryMeasures {
  depth: number;
  cost: number;
  aliases: number;
  rootFields: number;
}

type Composite = GraphQLObjectType | GraphQLInterfaceType;
const isComposite = (type: GraphQLNamedType): type is Composite =>
  isObjectType(type) || isInterfaceType(type);

/** How many items a list field is assumed to return when nothing in the query says. */
const LIST_ESTIMATE = 10;
/** Arguments that bound how many items a field returns. */
const SIZE_ARGUMENTS = ['first', 'limit'];

/**
 * Measures an operation before it runs: nesting depth, aliases, root fields and an estimated cost.
 * Every field costs 1; a list multiplies the cost of what is selected inside it by its size: `first`
 * or `limit` when given (else the argument's default), the length of a list argument such as
 * `whatIf(resolve: [...])`, and an estimate of 10 for other lists. Connection `edges` and `nodes`
 * do not multiply again: their connection already did. Fragments are measured where they are spread,
 * so they cannot hide anything.
 */
export function measure(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
  /** Receives the names of the variables the measures depend on. */
  variablesRead?: Set<string>,
): QueryMeasures {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) {
      operation ??= def;
    }
  }
  const result: QueryMeasures = { depth: 0, cost: 0, aliases: 0, rootFields: 0 };
  if (!operation) return result;
  const root = schema.getRootType(operation.operation);
  if (!root) return result;

  const valueOf = (value: ValueNode): unknown => valueFromASTUntyped(value, variables);

  const argument = (node: FieldNode, name: string): unknown => {
    const arg = node.arguments?.find((a) => a.name.value === name);
    return arg ? valueOf(arg.value) : undefined;
  };

  const sizeOf = (
    node: FieldNode,
    field: GraphQLField<unknown, unknown> | undefined,
    inConnection: boolean,
  ): number => {
    if (inConnection && (node.name.value === 'edges' || node.name.value === 'nodes')) return 1;
    for (const name of SIZE_ARGUMENTS) {
      const given = argument(node, name) ?? field?.args.find((a) => a.name === name)?.defaultValue;
      if (typeof given === 'number' && given > 0) return given;
    }
    if (!field || !isListType(getNullableType(field.type))) return 1;
    const listArgument = node.arguments?.map((a) => valueOf(a.value)).find(Array.isArray);
    return Array.isArray(listArgument) ? Math.max(1, listArgument.length) : LIST_ESTIMATE;
  };

  const visit = (set: SelectionSetNode, type: Composite | null, depth: number, seen: Set<string>): number => {
    result.depth = Math.max(result.depth, depth);
    const isConnection = type?.name.endsWith('Connection') ?? false;
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        if (selection.alias) result.aliases += 1;
        if (depth === 1) result.rootFields += 1;
        const field = type?.getFields()[selection.name.value];
        if (variablesRead) sizeVariables(selection, field, variablesRead);
        const named = field ? getNamedType(field.type) : null;
        const inner = selection.selectionSet
          ? visit(selection.selectionSet, named && isComposite(named) ? named : null, depth + 1, seen)
          : 0;
        cost += 1 + sizeOf(selection, field, isConnection) * inner;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const cond = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        cost += visit(selection.selectionSet, cond && isComposite(cond) ? cond : type, depth, seen);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const cond = schema.getType(fragment.typeCondition.name.value);
        cost += visit(
          fragment.selectionSet,
          cond && isComposite(cond) ? cond : type,
          depth,
          new Set([...seen, fragment.name.value]),
        );
      }
    }
    return cost;
  };
  result.cost = visit(operation.selectionSet, root, 1, new Set());
  return result;
}

/**
 * The variables a field's size may be read from (see `sizeOf`): those in its `first` and `limit`, and
 * in every argument of a list field. Whatever their values, no other variable changes the measures.
 */
function sizeVariables(
  node: FieldNode,
  field: GraphQLField<unknown, unknown> | undefined,
  into: Set<string>,
): void {
  const isList = !field || isListType(getNullableType(field.type));
  for (const arg of node.arguments ?? []) {
    if (isList || SIZE_ARGUMENTS.includes(arg.name.value)) variablesIn(arg.value, into);
  }
}

/** The names of the variables a value refers to, added to `into`. */
function variablesIn(value: ValueNode, into: Set<string>): void {
  if (value.kind === Kind.VARIABLE) into.add(value.name.value);
  else if (value.kind === Kind.LIST) for (const item of value.values) variablesIn(item, into);
  else if (value.kind === Kind.OBJECT) for (const field of value.fields) variablesIn(field.value, into);
}

/** Variable values an operation's measures were taken with: at most this many per operation. */
const MAX_MEASURES_PER_OPERATION = 100;

interface Measured {
  /** The variables whose values the measures depend on (sizes given as variables). */
  variables: string[];
  /** Measures by the JSON of those variables' values. */
  byValues: Map<string, QueryMeasures>;
}

/**
 * Measures of parsed documents, per operation name. Apollo keeps a parsed document per query text and
 * hands the same DocumentNode to every request of that text, so an operation is walked once, not on
 * every request; measures that depend on variables (a size given as `$first`) are kept per value of
 * those variables. Entries go with the document (WeakMap).
 */
const measured = new WeakMap<DocumentNode, Map<string, Measured>>();

/** `measure`, remembered per parsed document, operation and the values of the variables it reads. */
export function measureOnce(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
): QueryMeasures {
  let operations = measured.get(document);
  if (!operations) measured.set(document, (operations = new Map<string, Measured>()));
  const name = operationName ?? '';
  const known = operations.get(name);
  if (known) {
    const key = JSON.stringify(known.variables.map((v) => variables[v] ?? null));
    const hit = known.byValues.get(key);
    if (hit) return hit;
    const result = measure(schema, document, operationName, variables);
    if (known.byValues.size < MAX_MEASURES_PER_OPERATION) known.byValues.set(key, result);
    return result;
  }
  const read = new Set<string>();
  const result = measure(schema, document, operationName, variables, read);
  const names = [...read].sort();
  const key = JSON.stringify(names.map((v) => variables[v] ?? null));
  operations.set(name, { variables: names, byValues: new Map([[key, result]]) });
  return result;
}

export function tooComplex(measure: string, value: number, limit: number): GraphQLError {
  return new GraphQLError(`The query is too complex: ${measure} ${value} exceeds the limit of ${limit}`, {
    extensions: { code: 'QUERY_TOO_COMPLEX', measure, [measure]: value, limit, http: { status: 400 } },
  });
}

/** The first limit the operation exceeds, as an error, or null. */
export function checkLimits(measures: QueryMeasures, limits: QueryLimits): GraphQLError | null {
  if (measures.depth > limits.maxDepth) return tooComplex('depth', measures.depth, limits.maxDepth);
  if (measures.aliases > limits.maxAliases) return tooComplex('aliases', measures.aliases, limits.maxAliases);
  if (measures.rootFields > limits.maxRootFields)
    return tooComplex('rootFields', measures.rootFields, limits.maxRootFields);
  if (measures.cost > limits.maxCost) return tooComplex('cost', measures.cost, limits.maxCost);
  return null;
}
