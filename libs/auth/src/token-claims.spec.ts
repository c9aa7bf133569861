import { Role } from '@app/core';
import { claimAt, readClaims } from './token-claims';

const exp = Math.floor(Date.now() / 1000) + 60;

describe('claimAt', () => {
  it('reads a claim by name, or by a dotted path into objects', () => {
    const payload = { roles: ['A'], realm_access: { roles: ['B'] }, 'https://x.nl/org': 'O' };
    expect(claimAt(payload, 'roles')).toEqual(['A']);
    expect(claimAt(payload, 'realm_access.roles')).toEqual(['B']);
    // A claim whose name has dots is found by its whole name first.
    expect(claimAt(payload, 'https://x.nl/org')).toBe('O');
  });

  it('finds nothing through arrays, scalars or prototypes', () => {
    const payload = { a: [{ b: 1 }], s: 'text', o: {} };
    expect(claimAt(payload, 'a.0.b')).toBeUndefined();
    expect(claimAt(payload, 's.length')).toBeUndefined();
    expect(claimAt(payload, 'o.constructor')).toBeUndefined();
    expect(claimAt(payload, '__proto__')).toBeUndefined();
    expect(claimAt(payload, 'missing.path')).toBeUndefined();
  });
});

describe('readClaims', () => {
  it('reads the default claims of a local token strictly', () => {
    expect(readClaims({ sub: 's', roles: ['ANALYST'], exp })).toEqual({
      sub: 's',
      name: 's',
      roles: [Role.ANALYST],
      org: null,
    });
    expect(readClaims({ sub: 's', roles: ['ANALYST', 'offline_access'], exp })).toMatch(/roles must be/);
  });

  it('reads configured claim names and can ignore roles of other applications', () => {
    const options = {
      rolesClaim: 'realm_access.roles',
      orgClaim: 'organisation.oin',
      ignoreUnknownRoles: true,
    };
    const payload = {
      sub: 's',
      exp,
      realm_access: { roles: ['offline_access', 'STEWARD'] },
      organisation: { oin: '00000001234567890000' },
    };
    expect(readClaims(payload, options)).toMatchObject({
      roles: [Role.STEWARD],
      org: '00000001234567890000',
    });
    expect(readClaims({ ...payload, realm_access: { roles: ['offline_access'] } }, options)).toMatch(
      /roles \(claim realm_access\.roles\) must be a non-empty list/,
    );
    expect(readClaims({ ...payload, organisation: {} }, options)).toMatch(/org \(claim organisation\.oin\)/);
  });
});
