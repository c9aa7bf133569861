import { GraphQLScalarType, Kind } from 'graphql';
import { GraphQLJSON } from 'graphql-scalars';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !DATE.test(value)) {
    throw new TypeError('Date must be a calendar date written as YYYY-MM-DD');
  }
  const d = new Date(`${value}T00:00:00.000Z`);
  // The calendar has no year 0 (1 BC is followed by AD 1), and PostgreSQL refuses it.
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value || d.getUTCFullYear() < 1) {
    throw new TypeError(`${value} is not a calendar date`);
  }
  return value;
}

/** Calendar date as `YYYY-MM-DD`; values stay strings so no time zone can shift them. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'Calendar date, e.g. 2027-03-31.',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : parseDate(value)),
  parseValue: parseDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('Date must be a string written as YYYY-MM-DD');
    return parseDate(ast.value);
  },
});

export const JSONScalar = GraphQLJSON;
