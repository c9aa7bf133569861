/**
 * Authentication: no data without a valid bearer token, whatever is wrong with it, while the health
 * checks keep answering; stewards are tied to a registered provider (by OIN or TOOI URI); users are
 * recorded on first sight and kept up to date.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { oinOf, reference } from './support/demo';
import { codeOf, GraphQLResponse, TEST_SECRET, TestServer, token } from './support/server';

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = (): number => Math.floor(Date.now() / 1000);

/** Claims of a valid ADMIN token, to be spoilt one way at a time. */
const adminClaims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  sub: 'auth-e2e-admin',
  name: 'Auth Admin',
  roles: ['ADMIN'],
  ...extra,
});

const sign = (payload: Record<string, unknown>, options: jwt.SignOptions = {}): string =>
  jwt.sign(payload, TEST_SECRET, { algorithm: 'HS256', expiresIn: 3600, ...options });

const uwv = reference.providers.find((p) => p.key === 'UWV')!;

describe('authentication', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await TestServer.start({ demo: true });
  });
  afterAll(async () => server?.stop());

  const DATA_QUERIES = ['{ viewer { id } }', '{ providers(first: 1) { totalCount } }', '{ stats { open } }'];

  /** Every data field refuses the header with UNAUTHENTICATED and returns no data. */
  async function expectRefused(authorization: string | undefined, message?: RegExp): Promise<void> {
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    for (const query of DATA_QUERIES) {
      const res = await server.gql(query, {}, null, headers);
      expect(res.data ?? null).toBeNull();
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
      if (message) expect(res.errors?.[0]?.message).toMatch(message);
    }
    // The health checks answer anyway, with the same header.
    const health = await server.gql('{ health }', {}, null, headers);
    expect(health).toMatchObject({ data: { health: 'ok' } });
    expect(health.errors).toBeUndefined();
    const live = await fetch(`${server.url}/health/live`, { headers });
    expect(live.status).toBe(200);
  }

  describe('refuses data with UNAUTHENTICATED', () => {
    it('without a token', async () => {
      await expectRefused(undefined);
    });

    it.each([
      ['an empty header', ''],
      ['a bare "Bearer"', 'Bearer'],
      ['"Bearer " and spaces', 'Bearer    '],
      ['another scheme', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
      ['a token that is not a JWT', 'Bearer not-a-jwt'],
      ['a JWT with garbage parts', 'Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl'],
      ['two tokens', `Bearer ${sign(adminClaims())} ${sign(adminClaims())}`],
    ])('with a malformed header: %s', async (_what, header) => {
      await expectRefused(header);
    });

    it('with a token signed with another secret', async () => {
      await expectRefused(`Bearer ${token('ADMIN', { secret: 'another-secret-of-at-least-32-chars!!' })}`);
    });

    it('with a token whose signature was tampered with', async () => {
      const [header, , signature] = sign(adminClaims()).split('.');
      const forged = b64url({ ...adminClaims(), exp: now() + 3600 });
      await expectRefused(`Bearer ${header}.${forged}.${signature}`);
    });

    it('with an expired token, saying so', async () => {
      await expectRefused(`Bearer ${sign(adminClaims(), { expiresIn: -3600 })}`, /expired/i);
    });

    it('with a token without exp', async () => {
      const noExp = jwt.sign(adminClaims(), TEST_SECRET, { algorithm: 'HS256' });
      expect(jwt.decode(noExp)).not.toHaveProperty('exp');
      await expectRefused(`Bearer ${noExp}`, /exp/);
    });

    it('with an unsigned token (alg none)', async () => {
      const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...adminClaims(), exp: now() + 3600 })}.`;
      await expectRefused(`Bearer ${unsigned}`);
    });

    it('with a token signed with the right secret but HS512', async () => {
      await expectRefused(`Bearer ${sign(adminClaims(), { algorithm: 'HS512' })}`);
    });

    it('with an RS256 token (any key pair)', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rs = jwt.sign({ ...adminClaims() }, privateKey, { algorithm: 'RS256', expiresIn: 3600 });
      await expectRefused(`Bearer ${rs}`);
    });

    it('with an unknown role', async () => {
      await expectRefused(`Bearer ${sign(adminClaims({ roles: ['SUPERUSER'] }))}`, /roles/);
      await expectRefused(`Bearer ${sign(adminClaims({ roles: ['ANALYST', 'ROOT'] }))}`, /roles/);
    });

    it('without roles, or with roles that are not a list', async () => {
      await expectRefused(`Bearer ${sign(adminClaims({ roles: [] }))}`);
      await expectRefused(`Bearer ${sign(adminClaims({ roles: 'ADMIN' }))}`);
    });

    it('without a subject', async () => {
      await expectRefused(`Bearer ${sign(adminClaims({ sub: undefined }))}`, /sub/);
    });

    it('for a steward without org', async () => {
      await expectRefused(`Bearer ${token('STEWARD', { sub: 'auth-e2e-steward-no-org' })}`, /org/);
    });

    it('and records no user for any of these', async () => {
      const { rows } = await server.db.query(
        `SELECT subject FROM app_user WHERE subject IN ('auth-e2e-admin', 'auth-e2e-steward-no-org')`,
      );
      expect(rows).toEqual([]);
    });
  });

  it('refuses a steward whose org matches no provider, saying why', async () => {
    for (const org of ['00000001999999999000', 'https://identifier.overheid.nl/tooi/id/gemeente/gm9999']) {
      const res = await server.gql(
        '{ viewer { id } }',
        {},
        token('STEWARD', { sub: `auth-e2e-${org}`, org }),
      );
      expect(res.data ?? null).toBeNull();
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0]?.message).toContain(org);
      expect(res.errors?.[0]?.message).toMatch(/not a registered provider/);
    }
    const { rows } = await server.db.query(`SELECT 1 FROM app_user WHERE subject LIKE 'auth-e2e-0%'`);
    expect(rows).toEqual([]);
  });

  describe('users', () => {
    const userRow = async (subject: string) =>
      (
        await server.db.query<{ name: string; roles: string; provider_id: string | null }>(
          'SELECT name, roles::text AS roles, provider_id FROM app_user WHERE subject = $1',
          [subject],
        )
      ).rows;

    it('records a user the first time a subject is seen, and only once', async () => {
      const subject = 'auth-e2e-first-sight';
      expect(await userRow(subject)).toEqual([]);
      const bearer = token('ANALYST', { sub: subject, name: 'Anna Analist' });
      const first = await server.ok<{ viewer: { id: string } }>('{ viewer { id } }', {}, bearer);
      expect(await userRow(subject)).toEqual([
        { name: 'Anna Analist', roles: '{ANALYST}', provider_id: null },
      ]);
      const again = await server.ok<{ viewer: { id: string } }>('{ viewer { id } }', {}, bearer);
      expect(again.viewer.id).toBe(first.viewer.id);
      const { rows } = await server.db.query('SELECT count(*)::int AS n FROM app_user WHERE subject = $1', [
        subject,
      ]);
      expect(rows[0].n).toBe(1);
    });

    it('updates the user when the token brings another name or other roles', async () => {
      const subject = 'auth-e2e-renamed';
      const before = await server.ok<{ viewer: { id: string } }>(
        '{ viewer { id } }',
        {},
        token('ANALYST', { sub: subject, name: 'Old Name' }),
      );
      const after = await server.ok<{ viewer: { id: string; name: string; roles: string[] } }>(
        '{ viewer { id name roles } }',
        {},
        token('ANALYST', { sub: subject, name: 'New Name', roles: ['ANALYST', 'STEERING'] }),
      );
      expect(after.viewer).toEqual({
        id: before.viewer.id,
        name: 'New Name',
        roles: ['ANALYST', 'STEERING'],
      });
      expect(await userRow(subject)).toEqual([
        { name: 'New Name', roles: '{ANALYST,STEERING}', provider_id: null },
      ]);
    });
  });

  describe('viewer', () => {
    const VIEWER = '{ viewer { id subject name roles provider { id name oin tooiUri } } }';
    interface Viewer {
      viewer: {
        id: string;
        subject: string;
        name: string;
        roles: string[];
        provider: { id: string; name: string; oin: string | null; tooiUri: string | null } | null;
      };
    }

    it('returns subject, name and roles, without a provider for a non-steward', async () => {
      const { viewer } = await server.ok<Viewer>(
        VIEWER,
        {},
        token('STEERING', { sub: 'auth-e2e-steering', name: 'Stuur Groep' }),
      );
      expect(viewer).toMatchObject({
        subject: 'auth-e2e-steering',
        name: 'Stuur Groep',
        roles: ['STEERING'],
        provider: null,
      });
      expect(typeof viewer.id).toBe('string');
    });

    it('gives a steward the provider of their OIN', async () => {
      const { viewer } = await server.ok<Viewer>(
        VIEWER,
        {},
        token('STEWARD', { sub: 'auth-e2e-uwv-oin', name: 'Steward UWV', org: oinOf('UWV') }),
      );
      expect(viewer).toMatchObject({ subject: 'auth-e2e-uwv-oin', name: 'Steward UWV', roles: ['STEWARD'] });
      expect(viewer.provider).toMatchObject({ name: uwv.name, oin: uwv.oin, tooiUri: uwv.tooiUri });
      const rows = await userRowProvider('auth-e2e-uwv-oin');
      expect(rows).toEqual([{ provider: uwv.name }]);
    });

    it('gives a steward the provider of their TOOI URI', async () => {
      const { viewer } = await server.ok<Viewer>(
        VIEWER,
        {},
        token('STEWARD', { sub: 'auth-e2e-uwv-tooi', name: 'Steward UWV', org: uwv.tooiUri! }),
      );
      expect(viewer.provider).toMatchObject({ name: uwv.name, oin: uwv.oin, tooiUri: uwv.tooiUri });
    });

    it('answers a provider without OIN by its TOOI URI', async () => {
      // e.g. the Belastingdienst, which communicates under the OIN of the Ministry of Finance
      const noOin = reference.providers.find((p) => !p.oin && p.tooiUri);
      expect(noOin).toBeDefined();
      if (!noOin) return;
      const { viewer } = await server.ok<Viewer>(
        VIEWER,
        {},
        token('STEWARD', { sub: 'auth-e2e-no-oin', org: noOin.tooiUri! }),
      );
      expect(viewer.provider).toMatchObject({ name: noOin.name, oin: null });
    });

    async function userRowProvider(subject: string): Promise<Array<{ provider: string }>> {
      return (
        await server.db.query<{ provider: string }>(
          `SELECT p.name AS provider FROM app_user u JOIN provider p ON p.id = u.provider_id
           WHERE u.subject = $1`,
          [subject],
        )
      ).rows;
    }
  });

  it('reports the reason of a refusal without leaking anything else', async () => {
    const res: GraphQLResponse = await server.gql('{ viewer { id } }', {}, 'garbage');
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]?.message).not.toMatch(/secret|signature|HS256|jsonwebtoken/i);
  });
});
