/**
 * Tokens of an OIDC identity provider: RS256 and ES256 tokens verified against the provider's JWKS,
 * served here by a local HTTP server with keys made in the test. Issuer, audience, expiry with clock
 * skew, key rotation (an unknown kid fetches the key set again, at most once per cooldown), unknown
 * keys, configurable claim names, and when locally signed HS256 tokens still count.
 */
import { createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as jwt from 'jsonwebtoken';
import { DEV_JWT_SECRET } from '@app/config/app-config';
import { oinOf } from './support/demo';
import { codeOf, GraphQLResponse, TestServer, token } from './support/server';

const ISSUER = 'https://idp.knooppunt.test/realms/registry';
const AUDIENCE = 'knooppunt-api';
const now = (): number => Math.floor(Date.now() / 1000);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  jwk: JsonWebKey;
}

function makeKey(kid: string, alg: 'RS256' | 'ES256'): SigningKey {
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

/** The identity provider's key set over HTTP on 127.0.0.1; `keys` is what it serves right now. */
class JwksServer {
  keys: SigningKey[] = [];
  fetches = 0;
  /** Answer 503, as an identity provider that is down. */
  failing = false;
  private constructor(private readonly server: Server) {}

  static async start(keys: SigningKey[]): Promise<JwksServer> {
    let jwks: JwksServer | null = null;
    const server = createServer((req, res) => {
      if (!jwks || req.url !== '/realms/registry/protocol/openid-connect/certs') {
        res.writeHead(404).end();
        return;
      }
      jwks.fetches += 1;
      if (jwks.failing) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: jwks.keys.map((k) => k.jwk) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwks = new JwksServer(server);
    jwks.keys = keys;
    return jwks;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/realms/registry/protocol/openid-connect/certs`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A token of the identity provider: valid claims unless `claims` or `options` spoil them. */
function idpToken(
  key: SigningKey,
  claims: Record<string, unknown> = {},
  options: { kid?: string | null; exp?: number | null } = {},
): string {
  const payload: Record<string, unknown> = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'oidc-e2e-analyst',
    name: 'Olga IdP',
    roles: ['ANALYST'],
    iat: now(),
    exp: options.exp === undefined ? now() + 300 : options.exp,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  if (payload.exp === null) delete payload.exp;
  const kid = options.kid === undefined ? key.kid : options.kid;
  return jwt.sign(payload, key.privateKey, { algorithm: key.alg, ...(kid === null ? {} : { keyid: kid }) });
}

const VIEWER = '{ viewer { subject name roles provider { oin } } }';

async function viewer(server: TestServer, bearer: string): Promise<GraphQLResponse> {
  return server.gql(VIEWER, {}, bearer);
}

function expectAccepted(res: GraphQLResponse, subject: string): void {
  expect(res.errors).toBeUndefined();
  expect(res.data?.viewer?.subject).toBe(subject);
}

function expectRefused(res: GraphQLResponse, message?: RegExp): void {
  expect(res.data ?? null).toBeNull();
  expect(codeOf(res)).toBe('UNAUTHENTICATED');
  if (message) expect(res.errors?.[0]?.message).toMatch(message);
}

describe('OIDC tokens verified against the identity provider JWKS', () => {
  const rsa1 = makeKey('rsa-2026-1', 'RS256');
  const ec1 = makeKey('ec-2026-1', 'ES256');
  const rsa2 = makeKey('rsa-2026-2', 'RS256');
  const stranger = makeKey('stranger', 'RS256');

  let jwks: JwksServer;
  /** Issuer and audience checked, local tokens with AUTH_JWT_SECRET, a 1 s refetch cooldown. */
  let server: TestServer;
  /** Claims at realm_access.roles and a URL-named org claim; no AUTH_JWT_SECRET; default cooldown. */
  let claimsServer: TestServer;
  /** AUTH_JWT_SECRET set but AUTH_DISABLE_LOCAL_TOKENS=true. */
  let oidcOnly: TestServer;

  beforeAll(async () => {
    jwks = await JwksServer.start([rsa1, ec1]);
    const oidc = { AUTH_JWKS_URL: jwks.url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: `other-client,${AUDIENCE}` };
    [server, claimsServer, oidcOnly] = await Promise.all([
      TestServer.start({ env: { ...oidc, AUTH_JWKS_COOLDOWN_SECONDS: '1' } }),
      TestServer.start({
        demo: true,
        env: {
          ...oidc,
          AUTH_JWT_SECRET: '', // unset: the harness would set it
          AUTH_ROLES_CLAIM: 'realm_access.roles',
          AUTH_ORG_CLAIM: 'https://knooppunt.nl/org',
        },
      }),
      TestServer.start({ env: { ...oidc, AUTH_DISABLE_LOCAL_TOKENS: 'true' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), claimsServer?.stop(), oidcOnly?.stop()]);
    await jwks?.stop();
  });

  describe('accepts', () => {
    it('a valid RS256 token', async () => {
      const res = await viewer(server, idpToken(rsa1, { sub: 'oidc-e2e-rs256', name: 'Rita RSA' }));
      expectAccepted(res, 'oidc-e2e-rs256');
      expect(res.data?.viewer).toMatchObject({ name: 'Rita RSA', roles: ['ANALYST'], provider: null });
    });

    it('a valid ES256 token', async () => {
      expectAccepted(await viewer(server, idpToken(ec1, { sub: 'oidc-e2e-es256' })), 'oidc-e2e-es256');
    });

    it('any of the configured audiences, also in a list of audiences', async () => {
      expectAccepted(await viewer(server, idpToken(rsa1, { aud: 'other-client' })), 'oidc-e2e-analyst');
      expectAccepted(await viewer(server, idpToken(ec1, { aud: ['account', AUDIENCE] })), 'oidc-e2e-analyst');
    });

    it('a token that expired less than the clock skew (30 s) ago', async () => {
      expectAccepted(await viewer(server, idpToken(rsa1, {}, { exp: now() - 10 })), 'oidc-e2e-analyst');
    });
  });

  describe('refuses with UNAUTHENTICATED', () => {
    it('a token of another issuer, or without one', async () => {
      expectRefused(await viewer(server, idpToken(rsa1, { iss: 'https://evil.example/realms/x' })), /issuer/);
      expectRefused(await viewer(server, idpToken(rsa1, { iss: undefined })), /issuer/);
    });

    it('a token for another audience, or without one', async () => {
      expectRefused(await viewer(server, idpToken(rsa1, { aud: 'some-other-api' })), /audience/);
      expectRefused(await viewer(server, idpToken(ec1, { aud: undefined })), /audience/);
    });

    it('a token that expired longer than the clock skew ago, saying so', async () => {
      expectRefused(await viewer(server, idpToken(rsa1, {}, { exp: now() - 120 })), /expired/);
    });

    it('a token without exp', async () => {
      expectRefused(await viewer(server, idpToken(rsa1, {}, { exp: null })), /exp/);
    });

    it('a token signed by a key the identity provider does not publish', async () => {
      expectRefused(await viewer(server, idpToken(stranger)), /not valid/);
      // ... also when it claims the kid of a published key, or names no kid at all
      expectRefused(await viewer(server, idpToken(stranger, {}, { kid: rsa1.kid })), /not valid/);
      expectRefused(await viewer(server, idpToken(stranger, {}, { kid: null })), /not valid/);
    });

    it('HS256 signed with the public key as secret (algorithm confusion)', async () => {
      // The public key, as published: the classic secret of an algorithm-confusion forgery.
      const publicPem = createPublicKey(rsa1.privateKey).export({ type: 'spki', format: 'pem' }).toString();
      const forged = jwt.sign({ iss: ISSUER, aud: AUDIENCE, sub: 'forger', roles: ['ADMIN'] }, publicPem, {
        algorithm: 'HS256',
        expiresIn: 300,
        keyid: rsa1.kid,
      });
      expectRefused(await viewer(server, forged), /not valid/);
    });

    it('other algorithms (RS512, PS256, none)', async () => {
      const rs512 = jwt.sign({ iss: ISSUER, aud: AUDIENCE, sub: 's', roles: ['ADMIN'] }, rsa1.privateKey, {
        algorithm: 'RS512',
        expiresIn: 300,
        keyid: rsa1.kid,
      });
      const ps256 = jwt.sign({ iss: ISSUER, aud: AUDIENCE, sub: 's', roles: ['ADMIN'] }, rsa1.privateKey, {
        algorithm: 'PS256',
        expiresIn: 300,
        keyid: rsa1.kid,
      });
      const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
      const none = `${b64({ alg: 'none', kid: rsa1.kid })}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 's', roles: ['ADMIN'], exp: now() + 300 })}.`;
      for (const forged of [rs512, ps256, none]) expectRefused(await viewer(server, forged));
    });
  });

  it('follows key rotation: a new kid fetches the key set again, a removed kid is refused', async () => {
    // The API has the key set with rsa1 (tests above); the identity provider now rotates to rsa2.
    expectAccepted(await viewer(server, idpToken(rsa1, { sub: 'oidc-e2e-before' })), 'oidc-e2e-before');
    jwks.keys = [rsa2, ec1];
    const fetchesBefore = jwks.fetches;
    await sleep(1_100); // the cooldown (AUTH_JWKS_COOLDOWN_SECONDS=1) since the last fetch
    expectAccepted(await viewer(server, idpToken(rsa2, { sub: 'oidc-e2e-after' })), 'oidc-e2e-after');
    expect(jwks.fetches).toBe(fetchesBefore + 1);
    // The old key is gone from the set the API now holds.
    expectRefused(await viewer(server, idpToken(rsa1, { sub: 'oidc-e2e-old' })), /not valid/);
    await sleep(1_100);
    expectRefused(await viewer(server, idpToken(rsa1, { sub: 'oidc-e2e-old' })), /not valid/);
    // Keys still in the set keep working without a fetch.
    const fetches = jwks.fetches;
    expectAccepted(await viewer(server, idpToken(ec1, { sub: 'oidc-e2e-ec' })), 'oidc-e2e-ec');
    expect(jwks.fetches).toBe(fetches);
    const { rows } = await server.db.query(`SELECT 1 FROM app_user WHERE subject = 'oidc-e2e-old'`);
    expect(rows).toEqual([]);
  });

  it('answers SERVICE_UNAVAILABLE while the key set cannot be fetched, and recovers', async () => {
    const rsa3 = makeKey('rsa-2026-3', 'RS256');
    await sleep(1_100); // past the cooldown: a new kid fetches the set
    jwks.failing = true;
    const down = await viewer(server, idpToken(rsa3, { sub: 'oidc-e2e-down' }));
    expect(down.data ?? null).toBeNull();
    expect(codeOf(down)).toBe('SERVICE_UNAVAILABLE');
    expect(down.errors?.[0]?.message).toMatch(/identity provider/);
    // Keys already held keep working.
    expectAccepted(await viewer(server, idpToken(ec1, { sub: 'oidc-e2e-held' })), 'oidc-e2e-held');
    jwks.failing = false;
    jwks.keys = [...jwks.keys, rsa3];
    await sleep(1_100);
    expectAccepted(await viewer(server, idpToken(rsa3, { sub: 'oidc-e2e-up' })), 'oidc-e2e-up');
  });

  it('fetches the key set again for unknown kids at most once per cooldown', async () => {
    // claimsServer has the default cooldown of 30 s: a flood of unknown kids costs no fetch.
    const bearer = idpToken(rsa2, { realm_access: { roles: ['ANALYST'] } });
    expectAccepted(await viewer(claimsServer, bearer), 'oidc-e2e-analyst');
    const fetches = jwks.fetches;
    const forged = Array.from({ length: 20 }, (_, i) => idpToken(stranger, {}, { kid: `random-${i}` }));
    const answers = await Promise.all(forged.map((t) => viewer(claimsServer, t)));
    for (const res of answers) expectRefused(res, /not valid/);
    expect(jwks.fetches).toBe(fetches);
  });

  describe('local HS256 tokens', () => {
    it('still count with an identity provider when AUTH_JWT_SECRET is configured', async () => {
      expectAccepted(await viewer(server, token('STEERING', { sub: 'oidc-e2e-local' })), 'oidc-e2e-local');
    });

    it('are refused with an identity provider and no AUTH_JWT_SECRET (the development secret does not apply)', async () => {
      expectRefused(await viewer(claimsServer, token('ADMIN', { sub: 'oidc-e2e-hs-test' })), /not valid/);
      expectRefused(
        await viewer(claimsServer, token('ADMIN', { sub: 'oidc-e2e-hs-dev', secret: DEV_JWT_SECRET })),
        /not valid/,
      );
    });

    it('are refused with AUTH_DISABLE_LOCAL_TOKENS=true, while identity-provider tokens count', async () => {
      expectRefused(await viewer(oidcOnly, token('ADMIN', { sub: 'oidc-e2e-disabled' })), /not valid/);
      expectAccepted(await viewer(oidcOnly, idpToken(ec1, { sub: 'oidc-e2e-only' })), 'oidc-e2e-only');
    });
  });

  describe('configured claim names (AUTH_ROLES_CLAIM, AUTH_ORG_CLAIM)', () => {
    const ORG = 'https://knooppunt.nl/org';

    it('reads roles at a dotted path and ignores roles of other applications', async () => {
      const res = await viewer(
        claimsServer,
        idpToken(ec1, {
          sub: 'oidc-e2e-realm',
          roles: undefined,
          realm_access: { roles: ['offline_access', 'STEERING', 'ANALYST', 'uma_authorization'] },
        }),
      );
      expectAccepted(res, 'oidc-e2e-realm');
      expect(res.data?.viewer.roles).toEqual(['STEERING', 'ANALYST']);
    });

    it('gives a steward the provider named in the org claim', async () => {
      const res = await viewer(
        claimsServer,
        idpToken(rsa2, {
          sub: 'oidc-e2e-steward',
          roles: undefined,
          realm_access: { roles: ['STEWARD'] },
          [ORG]: oinOf('UWV'),
        }),
      );
      expectAccepted(res, 'oidc-e2e-steward');
      expect(res.data?.viewer.provider).toEqual({ oin: oinOf('UWV') });
    });

    it('refuses a steward whose org matches no provider, saying why', async () => {
      const res = await viewer(
        claimsServer,
        idpToken(rsa2, {
          sub: 'oidc-e2e-nowhere',
          realm_access: { roles: ['STEWARD'] },
          [ORG]: '00000001999999999000',
        }),
      );
      expect(codeOf(res)).toBe('FORBIDDEN');
      expect(res.errors?.[0]?.message).toMatch(/00000001999999999000 .*not a registered provider/);
    });

    it('refuses tokens whose roles are elsewhere or none of ours, or a steward without org', async () => {
      // `roles` at the top level is not where this server looks.
      expectRefused(
        await viewer(claimsServer, idpToken(rsa2, { roles: ['ADMIN'] })),
        /roles \(claim realm_access\.roles\)/,
      );
      expectRefused(
        await viewer(claimsServer, idpToken(rsa2, { realm_access: { roles: ['offline_access'] } })),
        /roles/,
      );
      expectRefused(
        await viewer(
          claimsServer,
          idpToken(rsa2, { realm_access: { roles: ['STEWARD'] }, org: oinOf('UWV') }),
        ),
        /org \(claim https:\/\/knooppunt\.nl\/org\)/,
      );
    });
  });
});
