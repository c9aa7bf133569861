import { Actor, Role } from '@app/core';
import {
  BlockerVisibilityFacts,
  visibilityClass,
  visibleInMemory,
  visibleRawSql,
} from './blocker-visibility';

const actor = (roles: Role[], providerId: string | null = null): Actor => ({
  userId: 'u',
  subject: 's',
  name: 'n',
  roles,
  providerId,
});

const facts = (overrides: Partial<BlockerVisibilityFacts> = {}): BlockerVisibilityFacts => ({
  confidential: true,
  reportingProviderId: 'reporter',
  ownerId: 'owner',
  endorsedBy: (p) => p === 'endorser',
  affects: (p) => p === 'requester' || p === 'supplier',
  ...overrides,
});

describe('visibleInMemory: the rule of visibleRawSql over facts in memory', () => {
  it('ADMIN and STEERING see every blocker, as the SQL rule says TRUE', () => {
    for (const role of [Role.ADMIN, Role.STEERING]) {
      expect(visibleRawSql(actor([role]), 'b', 1).sql).toBe('TRUE');
      expect(visibleInMemory(actor([role]))(facts())).toBe(true);
    }
  });

  it('anyone else who is no steward sees what is not confidential', () => {
    const see = visibleInMemory(actor([Role.ANALYST]));
    expect(visibleRawSql(actor([Role.ANALYST]), 'b', 1).sql).toBe('b.confidential = FALSE');
    expect(see(facts({ confidential: false }))).toBe(true);
    expect(see(facts())).toBe(false);
  });

  it('a steward sees a confidential blocker its provider reports, owns, endorses or is affected by', () => {
    for (const provider of ['reporter', 'owner', 'endorser', 'requester', 'supplier']) {
      expect(visibleInMemory(actor([Role.STEWARD], provider))(facts())).toBe(true);
    }
    expect(visibleInMemory(actor([Role.STEWARD], 'other'))(facts())).toBe(false);
    expect(visibleInMemory(actor([Role.STEWARD], 'other'))(facts({ confidential: false }))).toBe(true);
  });

  it('viewers who see the same blockers share a class', () => {
    expect(visibilityClass(actor([Role.ADMIN]))).toBe(visibilityClass(actor([Role.STEERING])));
    expect(visibilityClass(actor([Role.ANALYST]))).toBe('public');
    expect(visibilityClass(actor([Role.STEWARD], 'p1'))).not.toBe(
      visibilityClass(actor([Role.STEWARD], 'p2')),
    );
  });
});
