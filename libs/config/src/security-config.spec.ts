import { AppConfig } from './config.service';
import { DEV_JWT_SECRET, validateEnvironment } from './app-config';

const config = (env: Record<string, string>): AppConfig => new AppConfig(validateEnvironment(env));
const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const JWKS = 'https://idp.example.nl/realms/r/protocol/openid-connect/certs';

describe('authentication settings', () => {
  it('default to local tokens with the development secret outside production', () => {
    const c = config({});
    expect(c.auth).toMatchObject({
      localSecret: DEV_JWT_SECRET,
      jwksUrl: undefined,
      audience: [],
      clockSkewSeconds: 30,
      rolesClaim: 'roles',
      orgClaim: 'org',
    });
  });

  it('take an identity provider; local tokens then need a configured secret', () => {
    const c = config({ AUTH_JWKS_URL: JWKS, AUTH_AUDIENCE: 'a, b', AUTH_ROLES_CLAIM: 'realm_access.roles' });
    expect(c.auth).toMatchObject({ localSecret: null, jwksUrl: JWKS, audience: ['a', 'b'] });
    expect(c.auth.rolesClaim).toBe('realm_access.roles');
    expect(config({ AUTH_JWKS_URL: JWKS, AUTH_JWT_SECRET: SECRET }).jwtSecret).toBe(SECRET);
    expect(
      config({ AUTH_JWKS_URL: JWKS, AUTH_JWT_SECRET: SECRET, AUTH_DISABLE_LOCAL_TOKENS: 'true' }).jwtSecret,
    ).toBeNull();
  });

  it('in production, need AUTH_JWT_SECRET or an https identity provider with issuer and audience', () => {
    expect(() => config({ NODE_ENV: 'production' })).toThrow(/AUTH_JWT_SECRET is required/);
    expect(() => config({ NODE_ENV: 'production', AUTH_JWKS_URL: JWKS })).toThrow(
      /AUTH_ISSUER and AUTH_AUDIENCE are required/,
    );
    expect(() =>
      config({
        NODE_ENV: 'production',
        AUTH_JWKS_URL: 'http://idp/certs',
        AUTH_ISSUER: 'i',
        AUTH_AUDIENCE: 'a',
      }),
    ).toThrow(/https/);
    const c = config({ NODE_ENV: 'production', AUTH_JWKS_URL: JWKS, AUTH_ISSUER: 'i', AUTH_AUDIENCE: 'a' });
    expect(c.jwtSecret).toBeNull();
  });

  it('refuse combinations that cannot work', () => {
    expect(() => config({ AUTH_DISABLE_LOCAL_TOKENS: 'true' })).toThrow(
      /AUTH_DISABLE_LOCAL_TOKENS=true needs/,
    );
    expect(() => config({ AUTH_ISSUER: 'i' })).toThrow(/set AUTH_JWKS_URL/);
    expect(() => config({ AUTH_JWKS_URL: 'ftp://x/certs' })).toThrow(/AUTH_JWKS_URL must be an http/);
    expect(() => config({ AUTH_CLOCK_SKEW_SECONDS: '-1' })).toThrow(/AUTH_CLOCK_SKEW_SECONDS/);
    expect(() => config({ AUTH_ROLES_CLAIM: 'has space' })).toThrow(/AUTH_ROLES_CLAIM/);
  });
});

describe('rate-limit settings', () => {
  it('default to 600 a minute per user and 1200 per address, on', () => {
    expect(config({}).rateLimit).toEqual({ enabled: true, perMinuteUser: 600, perMinuteIp: 1200 });
    expect(config({}).trustProxy).toBe(false);
  });

  it('are read and checked', () => {
    const c = config({
      RATE_LIMIT_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE_USER: '5',
      RATE_LIMIT_PER_MINUTE_IP: '7',
      TRUST_PROXY: '1',
    });
    expect(c.rateLimit).toEqual({ enabled: false, perMinuteUser: 5, perMinuteIp: 7 });
    expect(c.trustProxy).toBe(1);
    expect(config({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(() => config({ RATE_LIMIT_PER_MINUTE_USER: '0' })).toThrow(/RATE_LIMIT_PER_MINUTE_USER/);
    expect(() => config({ RATE_LIMIT_ENABLED: 'maybe' })).toThrow(/RATE_LIMIT_ENABLED must be true or false/);
  });
});
