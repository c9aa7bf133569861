/** Look-ups in the demo data (the reference data the server loads on an empty database). */
import referenceData from '@app/database/seeds/reference-data.json';
import { TestServer } from './server';

export const reference = referenceData;

export const oinOf = (key: string): string => {
  const p = referenceData.providers.find((x) => x.key === key);
  if (!p?.oin) throw new Error(`${key} has no OIN in the reference data`);
  return p.oin;
};

/** Global IDs of the demo providers by their reference key (UWV, SVB, ...). */
export async function providerIds(server: TestServer, bearer: string): Promise<Record<string, string>> {
  const data = await server.ok<{ providers: { nodes: Array<{ id: string; name: string }> } }>(
    '{ providers(first: 100) { nodes { id name } } }',
    {},
    bearer,
  );
  const byName = new Map(data.providers.nodes.map((p) => [p.name, p.id]));
  return Object.fromEntries(referenceData.providers.map((p) => [p.key, byName.get(p.name)!]));
}

/**
 * Global IDs of the demo needs by their reference key (N1, N2, ...), matched on purpose and requester
 * (two needs, N3 and N5, share a purpose).
 */
export async function needIds(server: TestServer, bearer: string): Promise<Record<string, string>> {
  const data = await server.ok<{
    dataNeeds: { nodes: Array<{ id: string; purpose: string; requester: { name: string } }> };
  }>('{ dataNeeds(first: 100) { nodes { id purpose requester { name } } } }', {}, bearer);
  const match = (purpose: string, requester: string) => `${purpose}\u0000${requester}`;
  const byMatch = new Map(data.dataNeeds.nodes.map((n) => [match(n.purpose, n.requester.name), n.id]));
  const nameOf = new Map(referenceData.providers.map((p) => [p.key, p.name]));
  return Object.fromEntries(
    referenceData.needs.map((n) => [n.key, byMatch.get(match(n.purpose, nameOf.get(n.requester)!))!]),
  );
}
