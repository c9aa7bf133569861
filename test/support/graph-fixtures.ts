/**
 * Fixtures for the dependency, endorsement, steering and score e2e tests: the demo providers with the
 * `org` their stewards' tokens carry, fresh data needs and blockers, moves through the workflow, and
 * read-backs. Everything changes over HTTP; the database pool is only read.
 */
import referenceData from '@app/database/seeds/reference-data.json';
import { codeOf, GraphQLResponse, TestServer, token } from './server';

export interface ProviderRef {
  key: string;
  id: string;
  name: string;
  /** What a steward's token names as `org`: the OIN, else the TOOI URI. */
  org: string;
}

export interface BlockerRef {
  id: string;
  key: string;
  version: number;
  status: string;
  reportingProvider: { id: string };
  owner: { id: string } | null;
}

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
export type Effort = 'XS' | 'S' | 'M' | 'L' | 'XL';

export interface ReportOptions {
  needIds: string[];
  /** Reports as this token; by default ADMIN. */
  bearer?: string;
  /** Provider key of the owner; null for none. Default FIN. */
  owner?: string | null;
  severity?: Severity;
  effort?: Effort | null;
  impact?: { peopleAffectedPerYear?: number | null; manualHoursPerYear?: number | null };
  targetDate?: string | null;
  confidential?: boolean;
  title?: string;
}

export const BLOCKER_REF = 'id key version status reportingProvider { id } owner { id }';

const REPORT = `mutation Report($input: ReportBlockerInput!) {
  reportBlocker(input: $input) { blocker { ${BLOCKER_REF} } }
}`;

const DECLARE = `mutation Declare($input: DeclareDataNeedInput!) { declareDataNeed(input: $input) { id } }`;

const TRANSITION = `mutation Move($input: TransitionBlockerInput!) {
  transitionBlocker(input: $input) { ${BLOCKER_REF} }
}`;

/** The moves from REPORTED to each status that STEERING (or ADMIN) can make. */
export const PATH_FROM_REPORTED: Record<string, string[]> = {
  REPORTED: [],
  TRIAGED: ['TRIAGED'],
  PRIORITISED: ['TRIAGED', 'PRIORITISED'],
  IN_PROGRESS: ['TRIAGED', 'PRIORITISED', 'IN_PROGRESS'],
  ESCALATED: ['TRIAGED', 'PRIORITISED', 'ESCALATED'],
  RESOLVED: ['TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'RESOLVED'],
  REJECTED: ['REJECTED'],
  WITHDRAWN: ['WITHDRAWN'],
};

export const OPEN_STATUSES = ['REPORTED', 'TRIAGED', 'PRIORITISED', 'IN_PROGRESS', 'ESCALATED'];
export const isOpenStatus = (status: string): boolean => OPEN_STATUSES.includes(status);

/** The inputs a move needs besides the target: a reason or a resolution. */
export function moveInputs(from: string, to: string): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (['REJECTED', 'WITHDRAWN', 'ESCALATED'].includes(to) || (!isOpenStatus(from) && isOpenStatus(to)))
    input.reason = `Test move ${from} -> ${to}`;
  if (to === 'RESOLVED')
    input.resolution = { kind: 'GUIDANCE', summary: 'Guidance published', reference: 'Stcrt. 2026, 1' };
  return input;
}

/** Throws with the server's errors unless the response has none. */
export function expectOk<T>(res: GraphQLResponse<T>): T {
  if (res.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors, null, 2)}`);
  return res.data as T;
}

/** Throws unless the response failed with `code`. */
export function expectCode(res: GraphQLResponse, code: string): Record<string, any> {
  if (codeOf(res) !== code)
    throw new Error(`expected ${code}, got ${JSON.stringify(res.errors ?? res.data, null, 2)}`);
  return res.errors![0].extensions ?? {};
}

let counter = 0;

export class World {
  readonly admin = token('ADMIN');
  readonly steering = token('STEERING');
  readonly analyst = token('ANALYST');

  private constructor(
    readonly server: TestServer,
    private readonly providers: Map<string, ProviderRef>,
    private readonly needs: Map<string, string>,
  ) {}

  /** The demo providers and needs of a server started with `demo: true`. */
  static async load(server: TestServer): Promise<World> {
    const admin = token('ADMIN');
    const data = await server.ok<{ providers: { nodes: Array<{ id: string; name: string }> } }>(
      '{ providers(first: 100) { nodes { id name } } }',
      {},
      admin,
    );
    const byName = new Map(data.providers.nodes.map((p) => [p.name, p.id]));
    const providers = new Map<string, ProviderRef>();
    for (const p of referenceData.providers) {
      const id = byName.get(p.name);
      const org = p.oin ?? p.tooiUri;
      if (id && org) providers.set(p.key, { key: p.key, id, name: p.name, org });
    }
    const needData = await server.ok<{
      dataNeeds: { nodes: Array<{ id: string; purpose: string; requester: { id: string } }> };
    }>('{ dataNeeds(first: 100) { nodes { id purpose requester { id } } } }', {}, admin);
    const needs = new Map<string, string>();
    for (const n of referenceData.needs) {
      const requester = providers.get(n.requester)?.id;
      const found = needData.dataNeeds.nodes.find(
        (x) => x.purpose === n.purpose && x.requester.id === requester,
      );
      if (found) needs.set(n.key, found.id);
    }
    return new World(server, providers, needs);
  }

  provider(key: string): ProviderRef {
    const p = this.providers.get(key);
    if (!p) throw new Error(`no demo provider ${key}`);
    return p;
  }

  /** Keys of every demo provider a steward can act for. */
  get providerKeys(): string[] {
    return [...this.providers.keys()];
  }

  /** A demo need's global ID by its reference key (N1, ...). */
  need(key: string): string {
    const id = this.needs.get(key);
    if (!id) throw new Error(`no demo need ${key}`);
    return id;
  }

  /** A steward of the provider with this reference key; `sub` tells several stewards of one apart. */
  steward(key: string, sub?: string): string {
    const p = this.provider(key);
    return token('STEWARD', { org: p.org, sub: sub ?? `steward-${key}`, name: `Steward ${key}` });
  }

  /** A fresh data need declared by ADMIN. */
  async declareNeed(requester: string, supplier: string, annualCases: number | null = 1000): Promise<string> {
    const data = await this.server.ok<{ declareDataNeed: { id: string } }>(
      DECLARE,
      {
        input: {
          requesterId: this.provider(requester).id,
          supplierId: this.provider(supplier).id,
          dataElements: ['inkomen'],
          purpose: `Test need ${++counter} ${requester} <- ${supplier}`,
          annualCases,
        },
      },
      this.admin,
    );
    return data.declareDataNeed.id;
  }

  async report(options: ReportOptions): Promise<BlockerRef> {
    const n = ++counter;
    const owner = options.owner === undefined ? 'FIN' : options.owner;
    const input: Record<string, unknown> = {
      title: options.title ?? `Testknelpunt ${n} koppeling`,
      description: `Test blocker ${n}`,
      type: 'NO_INTERFACE',
      severity: options.severity ?? 'MEDIUM',
      affectedNeedIds: options.needIds,
      ownerId: owner === null ? null : this.provider(owner).id,
    };
    if (options.effort !== undefined) input.effort = options.effort;
    if (options.impact !== undefined) input.impact = options.impact;
    if (options.targetDate !== undefined) input.targetDate = options.targetDate;
    if (options.confidential !== undefined) input.confidential = options.confidential;
    const data = await this.server.ok<{ reportBlocker: { blocker: BlockerRef } }>(
      REPORT,
      { input },
      options.bearer ?? this.admin,
    );
    return data.reportBlocker.blocker;
  }

  /** Several fresh blockers, each on its own fresh need (SVB <- UWV unless said otherwise). */
  async blockers(count: number, options: Partial<ReportOptions> = {}): Promise<BlockerRef[]> {
    const out: BlockerRef[] = [];
    for (let i = 0; i < count; i++) {
      const need = await this.declareNeed('SVB', 'UWV');
      out.push(await this.report({ ...options, needIds: [need] }));
    }
    return out;
  }

  async get(id: string, fields = BLOCKER_REF): Promise<any> {
    const data = await this.server.ok<{ blocker: any }>(
      `query Get($id: ID!) { blocker(id: $id) { ${fields} } }`,
      { id },
      this.admin,
    );
    return data.blocker;
  }

  async version(id: string): Promise<number> {
    return (await this.get(id, 'version')).version;
  }

  /** One move, as `bearer` (default STEERING), at the current version. */
  async move(
    id: string,
    to: string,
    extra: Record<string, unknown> = {},
    bearer = this.steering,
  ): Promise<GraphQLResponse<{ transitionBlocker: BlockerRef }>> {
    const current = await this.get(id, 'version status');
    return this.server.gql(
      TRANSITION,
      { input: { id, expectedVersion: current.version, to, ...moveInputs(current.status, to), ...extra } },
      bearer,
    );
  }

  /** Bring a REPORTED blocker to `status` through the moves of the table. */
  async moveTo(id: string, status: string): Promise<BlockerRef> {
    let last: BlockerRef | null = null;
    for (const to of PATH_FROM_REPORTED[status]) last = expectOk(await this.move(id, to)).transitionBlocker;
    return last ?? (await this.get(id));
  }

  /** Every blocker the ADMIN sees, through all pages. */
  async allBlockers<T = any>(fields: string, pageSize = 50): Promise<T[]> {
    const out: T[] = [];
    let after: string | null = null;
    for (;;) {
      const data: any = await this.server.ok(
        `query All($first: Int, $after: String) {
           blockers(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {
             nodes { ${fields} } pageInfo { hasNextPage endCursor } } }`,
        { first: pageSize, after },
        this.admin,
      );
      out.push(...data.blockers.nodes);
      if (!data.blockers.pageInfo.hasNextPage) return out;
      after = data.blockers.pageInfo.endCursor;
    }
  }

  /** A blocker's audit events (newest first). */
  async history(
    id: string,
  ): Promise<Array<{ action: string; changes: any[]; reason: string | null; actor: any }>> {
    const data = await this.get(
      id,
      'history(first: 100) { nodes { action reason changes { field from to } actor { subject } } }',
    );
    return data.history.nodes;
  }
}

/** The local UUID inside a global ID (for queries on the database pool). */
export const localId = (globalId: string): string =>
  Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

/** The global ID the API gives a row (to line database rows up with API answers). */
export const globalId = (type: string, id: string): string =>
  Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');

/** A small seeded PRNG (mulberry32), so that "random" inputs are the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
