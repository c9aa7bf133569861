import type { IncomingMessage } from 'node:http';
import { GraphQLEndpoint, GraphQLEndpointOptions } from './graphql-endpoint';

const endpoint = new GraphQLEndpoint({ path: '/graphql' } as GraphQLEndpointOptions);

const request = (method: string, url: string, headers: Record<string, string> = {}): IncomingMessage =>
  ({ method, url, headers }) as unknown as IncomingMessage;

describe('GraphQLEndpoint.serves', () => {
  it('takes the POSTs of a plain JSON body to its path', () => {
    expect(endpoint.serves(request('POST', '/graphql', { 'content-type': 'application/json' }))).toBe(true);
    expect(
      endpoint.serves(request('POST', '/graphql?x=1', { 'content-type': 'application/json; charset=UTF-8' })),
    ).toBe(true);
  });

  it('leaves everything else to Express', () => {
    const json = { 'content-type': 'application/json' };
    expect(endpoint.serves(request('GET', '/graphql?query=%7Bx%7D', json))).toBe(false);
    expect(endpoint.serves(request('POST', '/graphql/', json))).toBe(false);
    expect(endpoint.serves(request('POST', '/graphqlx', json))).toBe(false);
    expect(endpoint.serves(request('POST', '/health/ready', json))).toBe(false);
    // Apollo's CSRF check answers these, through Express as before.
    expect(endpoint.serves(request('POST', '/graphql', { 'content-type': 'text/plain' }))).toBe(false);
    expect(endpoint.serves(request('POST', '/graphql'))).toBe(false);
    // Another charset, and a compressed body, are for Express's body parser.
    expect(
      endpoint.serves(request('POST', '/graphql', { 'content-type': 'application/json; charset=latin1' })),
    ).toBe(false);
    expect(endpoint.serves(request('POST', '/graphql', { ...json, 'content-encoding': 'gzip' }))).toBe(false);
  });
});
