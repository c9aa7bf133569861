import { prerequisitesFirst, statusOrder } from '../registry-document';
import { describeProblem } from './problems';
import { readDocument } from './json-document';

const blocker = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  title: `Blocker ${key}`,
  description: 'Described',
  type: 'NO_LEGAL_BASIS',
  severity: 'HIGH',
  affectedNeeds: ['N1'],
  ...extra,
});
const need = { ref: 'N1', requester: 'SVB', supplier: 'UWV', purpose: 'Outreach' };

describe('a registry document read from JSON', () => {
  it('fills in defaults and turns the derived BLOCKED state back into REQUESTED', () => {
    const { document, problems } = readDocument({
      format: 'knooppunt-registry',
      version: 1,
      needs: [{ ...need, state: 'BLOCKED' }],
      blockers: [blocker('KNP-1')],
    });
    expect(problems).toEqual([]);
    expect(document.needs[0]).toMatchObject({ state: 'REQUESTED', dataElements: [], annualCases: null });
    expect(document.blockers[0]).toMatchObject({
      status: 'REPORTED',
      perceived: false,
      resolution: null,
      decision: null,
    });
  });

  it('names problems by their path', () => {
    const { problems } = readDocument({
      format: 'knooppunt-registry',
      version: 1,
      needs: [need],
      blockers: [
        blocker('KNP-1', { severity: 'URGENT', layer: 'SEMANTIC', dependsOn: ['KNP-9'] }),
        blocker('KNP-2', {
          status: 'RESOLVED',
          impact: { peopleAffectedPerYear: -1 },
          affectedNeeds: ['N7'],
        }),
      ],
    });
    expect(problems.map(describeProblem)).toEqual([
      'column "blockers[0].severity": unknown severity "URGENT"; use CRITICAL, HIGH, MEDIUM, LOW',
      'column "blockers[0].layer": layer SEMANTIC does not match type NO_LEGAL_BASIS, which is LEGAL',
      'column "blockers[1].impact.peopleAffectedPerYear": must be a whole number of zero or more',
      'column "blockers[1].resolution": a resolved blocker needs a resolution',
      'column "blockers[0].dependsOn": no blocker with key "KNP-9" in the document',
      'column "blockers[1].affectedNeeds": no need with ref "N7" in the document',
    ]);
    expect(readDocument({ format: 'something else' }).problems.map(describeProblem)).toEqual([
      'column "format": not a registry document (format "knooppunt-registry")',
    ]);
  });

  it('orders blockers so that prerequisites come first', () => {
    const order = prerequisitesFirst([
      { key: 'a', dependsOn: ['c'] },
      { key: 'b', dependsOn: [] },
      { key: 'c', dependsOn: ['b'] },
    ]);
    expect(order.map((b) => b.key)).toEqual(['b', 'c', 'a']);
  });

  it('orders duplicates before their original, after their own prerequisites', () => {
    const order = statusOrder([
      { key: 'original', dependsOn: [], duplicateOf: null },
      { key: 'dup', dependsOn: ['first'], duplicateOf: 'original' },
      { key: 'first', dependsOn: [], duplicateOf: null },
    ]);
    expect(order.map((b) => b.key)).toEqual(['first', 'dup', 'original']);
  });

  it('reads endorsements and comments, with defaults, and names their problems', () => {
    const author = { subject: 'u1', name: 'Ann', roles: ['STEWARD'], provider: 'UWV' };
    const { document, problems } = readDocument({
      format: 'knooppunt-registry',
      version: 1,
      needs: [need],
      blockers: [
        blocker('KNP-1', {
          endorsements: [{ provider: 'UWV', date: '2026-01-02T03:04:05.678Z' }],
          comments: [{ author, body: 'Seen', date: '2026-01-03T00:00:00.000Z' }],
        }),
        blocker('KNP-2', {
          endorsements: [{ provider: 'UWV', date: 'yesterday', user: { ...author, roles: ['KING'] } }],
          comments: [{ body: '', date: '2026-01-03T00:00:00.000Z' }],
        }),
        blocker('KNP-3'),
      ],
    });
    expect(document.blockers[0].endorsements).toEqual([
      { provider: 'UWV', note: null, user: null, date: '2026-01-02T03:04:05.678Z' },
    ]);
    expect(document.blockers[2]).toMatchObject({ endorsements: [], comments: [] });
    expect(problems.map(describeProblem)).toEqual([
      'column "blockers[1].endorsements[0].date": must be a date and time (ISO 8601)',
      'column "blockers[1].endorsements[0].user.roles": must be a list of roles (ADMIN, STEERING, STEWARD, ANALYST)',
      'column "blockers[1].comments[0].body": must be a non-empty text',
      'column "blockers[1].comments[0].author": missing',
    ]);
  });
});
