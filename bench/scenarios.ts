/** The GraphQL operations the bench sends, with the targets the issue sets for them. */
import { Parameters } from './support/registry';

export type Role = 'STEERING' | 'ANALYST';

export interface Target {
  /** Latency target: p95 at most this many milliseconds. */
  p95Ms?: number;
  /** Throughput target: at least this many successful requests per second. */
  minRps?: number;
}

export interface QueryScenario {
  name: string;
  description: string;
  role: Role;
  query: string;
  variables: Record<string, unknown>;
  target: Target;
}

/**
 * The list every screen of the registry starts from: the first 50 open blockers by priority, each with
 * its reporting provider, owner and first five affected needs with their requester and supplier.
 */
export const LIST_QUERY = `query List($first: Int!) {
  blockers(first: $first, filter: { open: true }, orderBy: { field: PRIORITY, direction: DESC }) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id key title status severity
      priority { score }
      reportingProvider { id name }
      owner { id name }
      affectedNeeds(first: 5) {
        totalCount
        nodes { id purpose requester { id name } supplier { id name } }
      }
    }
  }
}`;

/** The trivial lookup by key, answered the same way by the bare Apollo baseline. */
export const LOOKUP_QUERY = `query Lookup($key: String!) {
  blocker(key: $key) { id key title status severity confidential createdAt }
}`;

const IMPACT_QUERY = `query Impact($id: ID!) {
  blockerImpact(id: $id) {
    blocker { id key }
    peopleAffectedPerYear
    affectedNeeds { id }
    affectedProviders { id name }
    unblockedIfResolved { id }
    prerequisites { id key }
    dependents { id key }
  }
}`;

const GRAPH_QUERY = `query Graph($focusId: ID!) {
  blockerGraph(input: { focusId: $focusId, depth: 2, limit: 500 }) {
    totalNodes truncated
    nodes { id kind label weight }
    edges { source target kind needId blocked }
  }
}`;

const WHAT_IF_QUERY = `query WhatIf($resolve: [ID!]!) {
  whatIf(resolve: $resolve) {
    needsStillBlocked peopleReached
    needsUnblocked { id }
    providersFullyUnblocked { id name }
    blockedByPrerequisites { id key }
  }
}`;

const CRITICAL_QUERY = `query Critical {
  criticalBlockers(first: 20) {
    needsUnblocked peopleReached providersUnblocked
    blocker { id key title }
  }
}`;

const SEARCH_QUERY = `query Search($search: String!) {
  blockers(first: 20, filter: { search: $search }) {
    nodes { id key title status }
  }
}`;

const REPORT_QUERY = `query Report($from: DateTime!, $to: DateTime!) {
  progressReport(from: $from, to: $to) {
    reported resolved reopened medianDaysToResolve
    byLayer { layer open resolved }
    newBlockers { id key }
    resolvedBlockers { id key }
    staleBlockers { id key }
    markdown
  }
}`;

export const REPORT_MUTATION = `mutation Report($input: ReportBlockerInput!) {
  reportBlocker(input: $input) {
    blocker { id key status priority { score } }
    possibleDuplicates { id key }
  }
}`;

/** The input of the n-th reportBlocker request: a new title each time, on one of the picked needs. */
export function reportInput(p: Parameters, n: number, runId: string): Record<string, unknown> {
  return {
    title: `Bench report ${runId}-${n}: koppeling belastingschuld`,
    description: `Reported by the benchmark (run ${runId}, request ${n}).`,
    type: 'NO_INTERFACE',
    severity: 'MEDIUM',
    affectedNeedIds: [p.reportNeeds[n % p.reportNeeds.length]],
  };
}

export const LIST_TARGET_P95_MS = 30;
export const LIST_MAX_RATIO = 1.5;
export const LOOKUP_MIN_RATIO = 0.6;
export const REPORT_MIN_RPS = 300;

export function queryScenarios(p: Parameters): QueryScenario[] {
  return [
    {
      name: 'list',
      description: 'blockers(first: 50, open, PRIORITY) + reportingProvider, owner, affectedNeeds(first: 5)',
      role: 'STEERING',
      query: LIST_QUERY,
      variables: { first: 50 },
      target: { p95Ms: LIST_TARGET_P95_MS },
    },
    {
      name: 'list-analyst',
      description: 'the same list as ANALYST (with the confidentiality predicate)',
      role: 'ANALYST',
      query: LIST_QUERY,
      variables: { first: 50 },
      target: { p95Ms: LIST_TARGET_P95_MS },
    },
    {
      name: 'lookup',
      description: `blocker(key: "${p.lookupKey}"), a trivial query`,
      role: 'STEERING',
      query: LOOKUP_QUERY,
      variables: { key: p.lookupKey },
      target: {},
    },
    {
      name: 'impact',
      description: `blockerImpact of the most connected open blocker (${p.mostConnected.key})`,
      role: 'STEERING',
      query: IMPACT_QUERY,
      variables: { id: p.mostConnected.id },
      target: { p95Ms: 50 },
    },
    {
      name: 'graph',
      description: `blockerGraph depth 2, limit 500, focus ${p.focusProvider.name}`,
      role: 'STEERING',
      query: GRAPH_QUERY,
      variables: { focusId: p.focusProvider.id },
      target: { p95Ms: 100 },
    },
    {
      name: 'what-if',
      description: `whatIf with ${p.whatIf.length} open blockers`,
      role: 'STEERING',
      query: WHAT_IF_QUERY,
      variables: { resolve: p.whatIf },
      target: { p95Ms: 200 },
    },
    {
      name: 'critical',
      description: 'criticalBlockers(first: 20)',
      role: 'STEERING',
      query: CRITICAL_QUERY,
      variables: {},
      target: { p95Ms: 300 },
    },
    {
      name: 'search',
      description: `blockers(first: 20, filter: { search: "${p.searchTerm}" })`,
      role: 'STEERING',
      query: SEARCH_QUERY,
      variables: { search: p.searchTerm },
      target: { p95Ms: 50 },
    },
    {
      name: 'progress-report',
      description: 'progressReport over the last year',
      role: 'STEERING',
      query: REPORT_QUERY,
      variables: p.period,
      target: { p95Ms: 500 },
    },
  ];
}
