import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';

/**
 * The one way a schema becomes the text of `schema.gql`: sorted, printed by graphql-js, with a final
 * newline. scripts/print-schema.ts writes it; test/contract.e2e-spec.ts compares the served schema with it.
 */
export function schemaText(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
