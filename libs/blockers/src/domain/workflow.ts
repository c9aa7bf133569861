import { Role } from '@app/core/actor';

export enum BlockerStatus {
  REPORTED = 'REPORTED',
  TRIAGED = 'TRIAGED',
  PRIORITISED = 'PRIORITISED',
  IN_PROGRESS = 'IN_PROGRESS',
  ESCALATED = 'ESCALATED',
  RESOLVED = 'RESOLVED',
  REJECTED = 'REJECTED',
  DUPLICATE = 'DUPLICATE',
  WITHDRAWN = 'WITHDRAWN',
}

export const OPEN_STATUSES: readonly BlockerStatus[] = [
  BlockerStatus.REPORTED,
  BlockerStatus.TRIAGED,
  BlockerStatus.PRIORITISED,
  BlockerStatus.IN_PROGRESS,
  BlockerStatus.ESCALATED,
];
export const CLOSED_STATUSES: readonly BlockerStatus[] = [
  BlockerStatus.RESOLVED,
  BlockerStatus.REJECTED,
  BlockerStatus.DUPLICATE,
  BlockerStatus.WITHDRAWN,
];

export const isOpen = (status: BlockerStatus): boolean => OPEN_STATUSES.includes(status);

/**
 * The open statuses as an SQL list of literals, for `status IN ${OPEN_STATUS_SQL}` in a template: literals, not a
 * parameter, so that the planner can use the partial indexes over open blockers.
 */
export const OPEN_STATUS_SQL = `(${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** Who may make a move: the steering group, or a steward of the reporting or of the owning provider. */
export type Mover = 'STEERING' | 'REPORTING_STEWARD' | 'OWNER_STEWARD';

/** What a move needs besides permission. */
export type Requirement = 'reason' | 'resolution' | 'duplicateOf' | 'owner' | 'prerequisitesClosed';

export interface TransitionRule {
  from: readonly BlockerStatus[];
  to: BlockerStatus;
  movers: readonly Mover[];
  needs: readonly Requirement[];
}

const S = BlockerStatus;

/** The workflow table of the brief, as data. ADMIN may make every move in it. */
export const TRANSITIONS: readonly TransitionRule[] = [
  { from: [S.REPORTED], to: S.TRIAGED, movers: ['STEERING'], needs: [] },
  { from: [S.REPORTED, S.TRIAGED], to: S.REJECTED, movers: ['STEERING'], needs: ['reason'] },
  {
    from: [S.REPORTED, S.TRIAGED, S.PRIORITISED],
    to: S.DUPLICATE,
    movers: ['STEERING'],
    needs: ['duplicateOf'],
  },
  {
    from: [S.REPORTED, S.TRIAGED],
    to: S.WITHDRAWN,
    movers: ['REPORTING_STEWARD', 'STEERING'],
    needs: ['reason'],
  },
  { from: [S.TRIAGED], to: S.PRIORITISED, movers: ['STEERING'], needs: [] },
  {
    from: [S.PRIORITISED, S.ESCALATED],
    to: S.IN_PROGRESS,
    movers: ['OWNER_STEWARD', 'STEERING'],
    needs: ['owner'],
  },
  { from: [S.PRIORITISED, S.IN_PROGRESS], to: S.ESCALATED, movers: ['STEERING'], needs: ['reason'] },
  { from: [S.IN_PROGRESS, S.ESCALATED], to: S.PRIORITISED, movers: ['STEERING'], needs: [] },
  {
    from: [S.IN_PROGRESS, S.ESCALATED],
    to: S.RESOLVED,
    movers: ['OWNER_STEWARD', 'STEERING'],
    needs: ['resolution', 'prerequisitesClosed'],
  },
  { from: [...CLOSED_STATUSES], to: S.TRIAGED, movers: ['STEERING'], needs: ['reason'] },
];

export function ruleFor(from: BlockerStatus, to: BlockerStatus): TransitionRule | undefined {
  return TRANSITIONS.find((rule) => rule.to === to && rule.from.includes(from));
}

/** The viewer as the workflow sees them, relative to one blocker. */
export interface WorkflowViewer {
  roles: readonly Role[];
  providerId: string | null;
}

export interface WorkflowBlocker {
  status: BlockerStatus;
  reportingProviderId: string;
  ownerId: string | null;
}

export function mayMove(rule: TransitionRule, viewer: WorkflowViewer, blocker: WorkflowBlocker): boolean {
  if (viewer.roles.includes(Role.ADMIN)) return true;
  const steward = viewer.roles.includes(Role.STEWARD) ? viewer.providerId : null;
  return rule.movers.some((mover) => {
    switch (mover) {
      case 'STEERING':
        return viewer.roles.includes(Role.STEERING);
      case 'REPORTING_STEWARD':
        return steward !== null && steward === blocker.reportingProviderId;
      case 'OWNER_STEWARD':
        return steward !== null && steward === blocker.ownerId;
    }
  });
}

export interface TransitionCheck {
  rule?: TransitionRule;
  error?: 'INVALID_TRANSITION' | 'FORBIDDEN';
}

/** Table first, then permission: a move the table lacks is INVALID_TRANSITION whoever asks. */
export function checkTransition(
  viewer: WorkflowViewer,
  blocker: WorkflowBlocker,
  to: BlockerStatus,
): TransitionCheck {
  const rule = ruleFor(blocker.status, to);
  if (!rule) return { error: 'INVALID_TRANSITION' };
  if (!mayMove(rule, viewer, blocker)) return { error: 'FORBIDDEN' };
  return { rule };
}

/**
 * Statuses the viewer may move the blocker to now: allowed by the table and the viewer's rights, with
 * the state conditions met (an owner for IN_PROGRESS, no open prerequisite for RESOLVED). Conditions
 * on the request itself (a reason, a resolution) are not state and do not hide a move.
 */
export function availableTransitions(
  viewer: WorkflowViewer,
  blocker: WorkflowBlocker,
  hasOpenPrerequisite: boolean,
): BlockerStatus[] {
  return TRANSITIONS.filter(
    (rule) =>
      rule.from.includes(blocker.status) &&
      mayMove(rule, viewer, blocker) &&
      !(rule.needs.includes('owner') && !blocker.ownerId) &&
      !(rule.needs.includes('prerequisitesClosed') && hasOpenPrerequisite),
  ).map((rule) => rule.to);
}

/**
 * The shortest sequence of moves in the table from one status to another (earlier rows first when
 * paths tie), e.g. to bring imported or demo blockers to their recorded status through real moves.
 */
export function pathBetween(from: BlockerStatus, to: BlockerStatus): BlockerStatus[] | null {
  const cameFrom = new Map<BlockerStatus, BlockerStatus | null>([[from, null]]);
  const queue: BlockerStatus[] = [from];
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i];
    if (at === to) {
      const path: BlockerStatus[] = [];
      for (let s: BlockerStatus | null = at; s !== null && s !== from; s = cameFrom.get(s) ?? null)
        path.unshift(s);
      return path;
    }
    for (const rule of TRANSITIONS) {
      if (rule.from.includes(at) && !cameFrom.has(rule.to)) {
        cameFrom.set(rule.to, at);
        queue.push(rule.to);
      }
    }
  }
  return null;
}
