import { AuditEventRef, changedIds, KNOWN_ACTIONS } from './registry-changes';

const uuid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const gid = (type: string, id: string): string => Buffer.from(`${type}:${id}`).toString('base64url');

const event = (overrides: Partial<AuditEventRef>): AuditEventRef => ({
  chainSeq: 1,
  action: 'blocker.updated',
  entityType: 'Blocker',
  entityId: uuid(1),
  blockerId: uuid(1),
  changes: [],
  ...overrides,
});

describe('changedIds', () => {
  it('names the entity, its blocker and every registry ID in the field changes', () => {
    const ids = changedIds([
      event({
        action: 'blocker.dependency_added',
        changes: [{ field: 'dependsOn', from: null, to: gid('Blocker', uuid(2)) }],
      }),
      event({
        action: 'blocker.merged',
        entityId: uuid(3),
        blockerId: uuid(3),
        changes: [
          { field: 'duplicates', from: null, to: gid('Blocker', uuid(4)) },
          { field: 'affectedNeeds', from: null, to: [gid('DataNeed', uuid(5)), gid('DataNeed', uuid(6))] },
          { field: 'endorsements', from: null, to: [gid('Provider', uuid(7))] },
        ],
      }),
      event({ action: 'need.updated', entityType: 'DataNeed', entityId: uuid(8), blockerId: null }),
      event({ action: 'dataset.registered', entityType: 'Dataset', entityId: uuid(9), blockerId: null }),
      event({
        action: 'comment.added',
        entityType: 'Comment',
        entityId: uuid(10),
        blockerId: uuid(11),
        changes: [{ field: 'body', from: null, to: 'not an ID' }],
      }),
    ]);
    expect(ids).toEqual({
      blockers: new Set([uuid(1), uuid(2), uuid(3), uuid(4), uuid(11)]),
      needs: new Set([uuid(5), uuid(6), uuid(8)]),
      providers: new Set([uuid(7)]),
      datasets: new Set([uuid(9)]),
    });
  });

  it('cannot tell what an unknown action changed: null, so the index is rebuilt', () => {
    expect(changedIds([event({}), event({ action: 'blocker.archived' })])).toBeNull();
    expect(KNOWN_ACTIONS.has('blocker.archived')).toBe(false);
  });

  it('nothing changed for no events', () => {
    expect(changedIds([])).toEqual({
      blockers: new Set(),
      needs: new Set(),
      providers: new Set(),
      datasets: new Set(),
    });
  });
});
