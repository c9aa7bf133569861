/**
 * BlockerFilter.search over HTTP on the demo data: PostgreSQL full text over key, title, description
 * and legal reference with Dutch and English stemming, best match first, keyset pages over the rank,
 * and confidentiality (KNP-19 is found only by those who may see it). Expected sets are computed here
 * from the reference data with plain regular expressions.
 */
import { reference } from './support/demo';
import { codeOf, GraphQLResponse, TestServer, token } from './support/server';

const analyst = token('ANALYST', { sub: 'search-analyst' });
const steering = token('STEERING', { sub: 'search-steering' });
const rotterdam = token('STEWARD', {
  sub: 'search-steward-rotterdam',
  org: reference.providers.find((p) => p.key === 'ROTTERDAM')!.oin!,
});

const blockers = reference.blockers.map((b, i) => ({ ...b, key: `KNP-${i + 1}` }));
const OPEN = new Set(['REPORTED', 'TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'ESCALATED']);

/** Keys of the demo blockers whose searchable text matches, in key order. */
function matching(
  pattern: RegExp,
  options: { confidential?: boolean; where?: (b: (typeof blockers)[number]) => boolean } = {},
) {
  return blockers
    .filter((b) => options.confidential || !b.confidential)
    .filter((b) => options.where?.(b) ?? true)
    .filter((b) => pattern.test([b.key, b.title, b.description, b.legalReference ?? ''].join(' ')))
    .map((b) => b.key);
}
const byNumber = (keys: string[]): string[] =>
  [...keys].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));

const SEARCH = `query($filter: BlockerFilter, $first: Int, $after: String, $orderBy: BlockerOrder) {
  blockers(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount nodes { key } pageInfo { hasNextPage endCursor } } }`;
const fieldsOf = (res: GraphQLResponse): string[] =>
  (res.errors?.[0]?.extensions?.fields ?? []).map((f: { field: string }) => f.field);

describe('full-text search over blockers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
  });
  afterAll(async () => server?.stop());

  const search = async (
    bearer: string,
    filter: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): Promise<{ keys: string[]; total: number; hasNextPage: boolean; endCursor: string | null }> => {
    const data = await server.ok<any>(SEARCH, { filter, first: 100, ...extra }, bearer);
    return {
      keys: data.blockers.nodes.map((n: any) => n.key),
      total: data.blockers.totalCount,
      hasNextPage: data.blockers.pageInfo.hasNextPage,
      endCursor: data.blockers.pageInfo.endCursor,
    };
  };
  const keysFor = async (bearer: string, text: string): Promise<string[]> =>
    byNumber((await search(bearer, { search: text })).keys);

  it.each([
    ['signal', /\bsignals?\b/i],
    ['signals', /\bsignals?\b/i],
    ['debts', /\bdebts?\b/i],
    ['wage', /\bwages?\b/i],
    ['seizure', /\bseizures?\b/i],
    ['Polisadministratie', /polisadministratie/i],
    ['experiment', /\bexperiment/i],
  ])('"%s" finds the blockers with the word in any form (English stemming)', async (text, pattern) => {
    expect(await keysFor(analyst, text)).toEqual(matching(pattern));
    expect(await keysFor(steering, text)).toEqual(matching(pattern, { confidential: true }));
  });

  it('searches the legal reference and the key', async () => {
    expect(await keysFor(analyst, 'AWR art. 67')).toEqual(
      blockers.filter((b) => b.legalReference === 'AWR art. 67').map((b) => b.key),
    );
    expect(await keysFor(analyst, 'KNP-3')).toEqual(['KNP-3']);
    expect(await keysFor(analyst, 'knp-13')).toEqual(['KNP-13']);
  });

  it('never finds a confidential blocker for whom may not see it', async () => {
    expect(await keysFor(analyst, 'KNP-19')).toEqual([]);
    expect(await keysFor(steering, 'KNP-19')).toEqual(['KNP-19']);
    expect(await keysFor(rotterdam, 'KNP-19')).toEqual(['KNP-19']);
    const title = blockers.find((b) => b.key === 'KNP-19')!.title;
    expect(await keysFor(analyst, title)).not.toContain('KNP-19');
    expect(await keysFor(rotterdam, 'experiment')).toEqual(matching(/\bexperiment/i, { confidential: true }));
  });

  it('puts the best match first: a word in the title before a word in the description', async () => {
    const { keys } = await search(analyst, { search: 'Polisadministratie' });
    const inTitle = matching(/polisadministratie/i, { where: (b) => /polisadministratie/i.test(b.title) });
    expect(byNumber(keys.slice(0, inTitle.length))).toEqual(inTitle);
    expect(keys.slice(inTitle.length)).toEqual(
      matching(/polisadministratie/i, { where: (b) => !/polisadministratie/i.test(b.title) }),
    );
  });

  it('understands phrases, exclusion and or', async () => {
    expect(await keysFor(analyst, '"fiscal secrecy"')).toEqual(['KNP-3']);
    expect(await keysFor(analyst, 'fiscal -secrecy')).toEqual(
      matching(/\bfiscal\b/i).filter((k) => k !== 'KNP-3'),
    );
    expect(await keysFor(analyst, 'wage or seizure')).toEqual(
      byNumber([...matching(/\bwages?\b/i), ...matching(/\bseizures?\b/i)]),
    );
  });

  it('finds Dutch words in another form (Dutch stemming)', async () => {
    const need = await server.ok<any>('{ dataNeeds(first: 1) { nodes { id } } }', {}, steering);
    const reported = await server.ok<any>(
      `mutation($input: ReportBlockerInput!) { reportBlocker(input: $input) { blocker { key } } }`,
      {
        input: {
          title: 'Gemeenten krijgen geen signaal over belastingschuld',
          description: 'Zonder signaal over openstaande huurachterstanden komt schuldhulp te laat.',
          type: 'LEGAL_UNCERTAINTY',
          severity: 'MEDIUM',
          legalReference: 'Wet gemeentelijke schuldhulpverlening art. 4a',
          affectedNeedIds: [need.dataNeeds.nodes[0].id],
        },
      },
      steering,
    );
    const key: string = reported.reportBlocker.blocker.key;
    expect(await keysFor(analyst, 'belastingschulden')).toEqual([key]);
    expect(await keysFor(analyst, 'huurachterstand')).toEqual([key]);
    expect(await keysFor(analyst, 'schuldhulpverlening')).toEqual([key]);
    expect(await keysFor(analyst, 'gemeente')).toEqual([key]);
  });

  it('combines with the other filters and with an explicit order', async () => {
    expect(await keysFor(analyst, 'income')).toEqual(matching(/\bincome\b/i));
    const open = await search(analyst, { search: 'income', open: true });
    expect(byNumber(open.keys)).toEqual(matching(/\bincome\b/i, { where: (b) => OPEN.has(b.status) }));
    const byCreation = await search(
      analyst,
      { search: 'income' },
      { orderBy: { field: 'CREATED_AT', direction: 'ASC' } },
    );
    expect(byCreation.keys).toEqual(matching(/\bincome\b/i));
  });

  it('pages through the ranked answer with keyset cursors, each match exactly once', async () => {
    for (const text of ['Polisadministratie', 'income', 'data']) {
      const all = await search(analyst, { search: text });
      expect(all.keys.length).toBeGreaterThan(1);
      for (const size of [1, 2]) {
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const page = await search(analyst, { search: text }, { first: size, after });
          expect(page.total).toBe(all.total);
          seen.push(...page.keys);
          if (!page.hasNextPage) break;
          after = page.endCursor;
        }
        expect(seen).toEqual(all.keys);
      }
    }
  });

  it('refuses a cursor of another search or order', async () => {
    const first = await search(analyst, { search: 'income' }, { first: 1 });
    const other = await server.gql(
      SEARCH,
      { filter: { search: 'wage' }, first: 1, after: first.endCursor },
      analyst,
    );
    expect(codeOf(other)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(other)).toEqual(['after']);
    const unsearched = await server.gql(SEARCH, { first: 1, after: first.endCursor }, analyst);
    expect(codeOf(unsearched)).toBe('BAD_USER_INPUT');
  });

  it('treats blank text as no search, refuses text over 200 characters, survives odd characters', async () => {
    const all = await search(analyst, {});
    const blank = await search(analyst, { search: '   ' });
    expect({ keys: blank.keys, total: blank.total }).toEqual({ keys: all.keys, total: all.total });
    const long = await server.gql(SEARCH, { filter: { search: 'x'.repeat(201) } }, analyst);
    expect(codeOf(long)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(long)).toEqual(['filter.search']);
    for (const odd of ["'", '&|!:*()', '""', '-', 'OR', '\\']) {
      const res = await server.gql(SEARCH, { filter: { search: odd } }, analyst);
      expect(res.errors).toBeUndefined();
    }
  });
});
