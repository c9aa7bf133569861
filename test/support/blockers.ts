/**
 * Blocker fixtures for the workflow, merge and lifecycle e2e tests: report a blocker as a steward on a
 * demo need and bring it to any status through real moves, with the inputs each move needs.
 * Everything goes over HTTP; the database is only read (audit rows, transaction ids).
 */
import { GraphQLResponse, TestServer } from './server';

export type Status =
  | 'REPORTED'
  | 'TRIAGED'
  | 'PRIORITISED'
  | 'IN_PROGRESS'
  | 'ESCALATED'
  | 'RESOLVED'
  | 'REJECTED'
  | 'DUPLICATE'
  | 'WITHDRAWN';

export const STATUSES: readonly Status[] = [
  'REPORTED',
  'TRIAGED',
  'PRIORITISED',
  'IN_PROGRESS',
  'ESCALATED',
  'RESOLVED',
  'REJECTED',
  'DUPLICATE',
  'WITHDRAWN',
];
export const OPEN: readonly Status[] = ['REPORTED', 'TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'ESCALATED'];
export const CLOSED: readonly Status[] = ['RESOLVED', 'REJECTED', 'DUPLICATE', 'WITHDRAWN'];
export const isOpen = (s: Status): boolean => OPEN.includes(s);

export interface BlockerView {
  id: string;
  key: string;
  status: Status;
  open: boolean;
  version: number;
  availableTransitions: Status[];
  owner: { id: string } | null;
  reportingProvider: { id: string };
  duplicateOf: { id: string } | null;
  resolution: { kind: string; summary: string; reference: string | null } | null;
  statusChangedAt: string;
}

export const BLOCKER_FIELDS = `
  fragment BlockerFields on Blocker {
    id key status open version availableTransitions
    owner { id } reportingProvider { id } duplicateOf { id }
    resolution { kind summary reference }
    statusChangedAt
  }`;

export const REPORT = `
  mutation Report($input: ReportBlockerInput!) {
    reportBlocker(input: $input) { blocker { ...BlockerFields } possibleDuplicates { id } }
  } ${BLOCKER_FIELDS}`;

export const TRANSITION = `
  mutation Move($input: TransitionBlockerInput!) {
    transitionBlocker(input: $input) { ...BlockerFields }
  } ${BLOCKER_FIELDS}`;

export const GET = `
  query Get($id: ID!) { blocker(id: $id) { ...BlockerFields } } ${BLOCKER_FIELDS}`;

export const RESOLUTION = { kind: 'GUIDANCE', summary: 'Guidance published', reference: 'Stcrt. 2026, 1' };

/** The moves STEERING makes from REPORTED to reach each status (the brief's table). */
export const PATH: Readonly<Record<Status, readonly Status[]>> = {
  REPORTED: [],
  TRIAGED: ['TRIAGED'],
  PRIORITISED: ['TRIAGED', 'PRIORITISED'],
  IN_PROGRESS: ['TRIAGED', 'PRIORITISED', 'IN_PROGRESS'],
  ESCALATED: ['TRIAGED', 'PRIORITISED', 'ESCALATED'],
  RESOLVED: ['TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'RESOLVED'],
  REJECTED: ['REJECTED'],
  DUPLICATE: ['DUPLICATE'],
  WITHDRAWN: ['WITHDRAWN'],
};

/** Moves that need a reason: REJECTED, WITHDRAWN, ESCALATED, and reopening a closed blocker. */
export const needsReason = (from: Status, to: Status): boolean =>
  to === 'REJECTED' || to === 'WITHDRAWN' || to === 'ESCALATED' || (!isOpen(from) && isOpen(to));

export interface MoveInput {
  reason?: string | null;
  resolution?: { kind: string; summary: string; reference?: string | null } | null;
  duplicateOfId?: string | null;
  expectedVersion?: number;
}

export interface ReportOptions {
  needIds?: string[];
  /** null: report without an owner. */
  ownerId?: string | null;
  bearer?: string;
  title?: string;
  extra?: Record<string, unknown>;
}

export interface FixtureDefaults {
  /** STEERING's token: makes the moves of blockerIn. */
  steering: string;
  /** The steward who reports by default. */
  reporter: string;
  /** Needs a default report rotates over (the reporter's provider is requester or supplier). */
  needIds: string[];
  ownerId: string | null;
}

export class Fixtures {
  private count = 0;

  constructor(
    readonly server: TestServer,
    readonly defaults: FixtureDefaults,
  ) {}

  /** A fresh REPORTED blocker, reported by a steward (by default on a demo need, with an owner). */
  async report(options: ReportOptions = {}): Promise<BlockerView> {
    const n = ++this.count;
    const input: Record<string, unknown> = {
      title: options.title ?? `Koppeling ${n} ontbreekt`,
      description: `Test blocker ${n}`,
      type: 'NO_INTERFACE',
      severity: 'MEDIUM',
      affectedNeedIds: options.needIds ?? [this.defaults.needIds[n % this.defaults.needIds.length]],
      ...(options.ownerId === null ? {} : { ownerId: options.ownerId ?? this.defaults.ownerId }),
      ...options.extra,
    };
    const data = await this.server.ok<{ reportBlocker: { blocker: BlockerView } }>(
      REPORT,
      { input },
      options.bearer ?? this.defaults.reporter,
    );
    return data.reportBlocker.blocker;
  }

  /** The inputs a move needs besides permission: a reason, a resolution, an open original. */
  async inputsFor(from: Status, to: Status): Promise<MoveInput> {
    const input: MoveInput = {};
    if (needsReason(from, to)) input.reason = `Reason for ${from} -> ${to}`;
    if (to === 'RESOLVED') input.resolution = RESOLUTION;
    if (to === 'DUPLICATE') input.duplicateOfId = (await this.report()).id;
    return input;
  }

  /** Attempt a move; the raw response. */
  async attempt(
    blocker: { id: string; version: number },
    to: Status,
    input: MoveInput,
    bearer: string,
  ): Promise<GraphQLResponse<{ transitionBlocker: BlockerView }>> {
    return this.server.gql<{ transitionBlocker: BlockerView }>(
      TRANSITION,
      {
        input: {
          id: blocker.id,
          expectedVersion: input.expectedVersion ?? blocker.version,
          to,
          ...(input.reason !== undefined ? { reason: input.reason } : {}),
          ...(input.resolution !== undefined ? { resolution: input.resolution } : {}),
          ...(input.duplicateOfId !== undefined ? { duplicateOfId: input.duplicateOfId } : {}),
        },
      },
      bearer,
    );
  }

  /** Make a move that must succeed, with the inputs it needs unless given. */
  async move(
    blocker: BlockerView,
    to: Status,
    input?: MoveInput,
    bearer = this.defaults.steering,
  ): Promise<BlockerView> {
    const res = await this.attempt(blocker, to, input ?? (await this.inputsFor(blocker.status, to)), bearer);
    if (res.errors?.length)
      throw new Error(`${blocker.key} ${blocker.status} -> ${to}: ${JSON.stringify(res.errors)}`);
    return res.data!.transitionBlocker;
  }

  /** A new blocker, reported by a steward, moved to `status` by STEERING through real moves. */
  async blockerIn(status: Status, options: ReportOptions = {}): Promise<BlockerView> {
    let blocker = await this.report(options);
    for (const to of PATH[status]) blocker = await this.move(blocker, to);
    expect(blocker.status).toBe(status);
    return blocker;
  }

  async get(id: string, bearer = this.defaults.steering): Promise<BlockerView> {
    return (await this.server.ok<{ blocker: BlockerView }>(GET, { id }, bearer)).blocker;
  }
}

/** Assert an error response: its code and, for BAD_USER_INPUT, the offending field. */
export function expectError(res: GraphQLResponse, code: string, field?: string): void {
  const error = res.errors?.[0];
  // On a mismatch the whole response is shown.
  expect(error?.extensions?.code ?? JSON.stringify(res)).toBe(code);
  if (field) {
    const fields = (error?.extensions?.fields as Array<{ field: string }> | undefined) ?? [];
    expect(fields.map((f) => f.field)).toContain(field);
  }
}

/** The local (database) id of a blocker from its key, and audit rows for it. */
export async function blockerRow(
  server: TestServer,
  key: string,
): Promise<{ id: string; version: number; status: Status; xmin: string }> {
  const { rows } = await server.db.query(
    'SELECT id, version, status, xmin::text AS xmin FROM blocker WHERE number = $1',
    [Number(key.replace(/^KNP-/, ''))],
  );
  return rows[0];
}

export async function auditCount(server: TestServer, key: string): Promise<number> {
  const { rows } = await server.db.query(
    `SELECT count(*)::int AS n FROM audit_event WHERE blocker_id = (SELECT id FROM blocker WHERE number = $1)`,
    [Number(key.replace(/^KNP-/, ''))],
  );
  return rows[0].n;
}
