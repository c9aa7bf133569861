import {
  BlockerStatus,
  BlockerType,
  Effort,
  layerOf,
  PriorityLevel,
  ResolutionKind,
  Severity,
} from '@app/blockers';
import { Role } from '@app/core';
import { DataNeedState } from '@app/needs';
import { ProviderKind } from '@app/providers';
import { DOCUMENT_FORMAT, DOCUMENT_VERSION, Origins, RegistryDocument } from '../registry-document';
import { Problem } from './problems';
import { readEnum } from './values';

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Check a registry document read from JSON (an export, or a file written by hand) and return it with
 * every problem named by its path, e.g. `blockers[3].severity`.
 */
export function readDocument(json: unknown): {
  document: RegistryDocument;
  origins: Origins;
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const at = (path: string, message: string): void => {
    problems.push({ row: null, column: path, message });
  };
  const origins: Origins = {
    need: (ref, field) => ({ row: null, column: `needs[ref=${ref}]${field ? `.${field}` : ''}` }),
    blocker: (key, field) => ({ row: null, column: `blockers[key=${key}]${field ? `.${field}` : ''}` }),
  };
  const empty: RegistryDocument = {
    format: DOCUMENT_FORMAT,
    version: DOCUMENT_VERSION,
    providers: [],
    datasets: [],
    needs: [],
    blockers: [],
  };
  if (!isObject(json) || json.format !== DOCUMENT_FORMAT) {
    at('format', `not a registry document (format "${DOCUMENT_FORMAT}")`);
    return { document: empty, origins, problems };
  }
  if (json.version !== DOCUMENT_VERSION)
    at('version', `version ${String(json.version)} is not supported; use ${DOCUMENT_VERSION}`);

  const list = (name: string): Json[] => {
    const value = json[name] ?? [];
    if (!Array.isArray(value)) {
      at(name, 'must be a list');
      return [];
    }
    return value.map((item, i) => {
      if (!isObject(item)) at(`${name}[${i}]`, 'must be an object');
      return isObject(item) ? item : {};
    });
  };
  const text = (path: string, item: Json, field: string, required: boolean): void => {
    const v = item[field];
    if (v === undefined || v === null) {
      if (required) at(`${path}.${field}`, 'missing');
      else item[field] = null;
    } else if (typeof v !== 'string' || (required && !v.trim()))
      at(`${path}.${field}`, required ? 'must be a non-empty text' : 'must be a text');
  };
  const code = (
    path: string,
    item: Json,
    field: string,
    what: string,
    values: readonly string[],
    required: boolean,
  ): void => {
    const v = item[field];
    if (v === undefined || v === null) {
      if (required) at(`${path}.${field}`, 'missing');
      else item[field] = null;
      return;
    }
    const read =
      typeof v === 'string' ? readEnum(what, values, v) : { ok: false as const, message: 'must be a text' };
    if (!read.ok) at(`${path}.${field}`, read.message);
    else item[field] = read.value;
  };
  const count = (path: string, item: Json, field: string): void => {
    const v = item[field];
    if (v === undefined || v === null) item[field] = null;
    else if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      at(`${path}.${field}`, 'must be a whole number of zero or more');
  };
  const flag = (path: string, item: Json, field: string): void => {
    const v = item[field] ?? false;
    if (typeof v !== 'boolean') at(`${path}.${field}`, 'must be true or false');
    item[field] = v;
  };
  const texts = (path: string, item: Json, field: string): void => {
    const v = item[field] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
      at(`${path}.${field}`, 'must be a list of texts');
    item[field] = v;
  };

  const providers = list('providers');
  providers.forEach((p, i) => {
    const path = `providers[${i}]`;
    for (const f of ['ref', 'name']) text(path, p, f, true);
    for (const f of ['abbreviation', 'oin', 'tooiUri', 'parent']) text(path, p, f, false);
    code(path, p, 'kind', 'provider kind', Object.values(ProviderKind), true);
  });
  const datasets = list('datasets');
  datasets.forEach((d, i) => {
    const path = `datasets[${i}]`;
    for (const f of ['holder', 'name']) text(path, d, f, true);
    for (const f of ['code', 'description']) text(path, d, f, false);
    flag(path, d, 'isBaseRegistry');
    d.containsPersonalData ??= true;
    flag(path, d, 'containsPersonalData');
  });
  const needs = list('needs');
  needs.forEach((n, i) => {
    const path = `needs[${i}]`;
    for (const f of ['ref', 'requester', 'supplier', 'purpose']) text(path, n, f, true);
    for (const f of ['dataset', 'service', 'legalBasis']) text(path, n, f, false);
    texts(path, n, 'dataElements');
    count(path, n, 'annualCases');
    n.state ??= DataNeedState.REQUESTED;
    code(path, n, 'state', 'need state', Object.values(DataNeedState), true);
    if (n.state === DataNeedState.BLOCKED) n.state = DataNeedState.REQUESTED;
  });
  const blockers = list('blockers');
  blockers.forEach((b, i) => {
    const path = `blockers[${i}]`;
    for (const f of ['key', 'title', 'description']) text(path, b, f, true);
    for (const f of ['legalReference', 'reportingProvider', 'owner', 'targetDate', 'duplicateOf'])
      text(path, b, f, false);
    code(path, b, 'type', 'blocker type', Object.values(BlockerType), true);
    code(path, b, 'severity', 'severity', Object.values(Severity), true);
    b.status ??= BlockerStatus.REPORTED;
    code(path, b, 'status', 'status', Object.values(BlockerStatus), true);
    code(path, b, 'effort', 'effort', Object.values(Effort), false);
    flag(path, b, 'perceived');
    flag(path, b, 'confidential');
    texts(path, b, 'affectedNeeds');
    texts(path, b, 'dependsOn');
    const impact = isObject(b.impact) ? b.impact : {};
    for (const f of [
      'peopleAffectedPerYear',
      'businessesAffectedPerYear',
      'manualHoursPerYear',
      'costPerYearEur',
    ])
      count(`${path}.impact`, impact, f);
    b.impact = impact;
    if (
      typeof b.type === 'string' &&
      typeof b.layer === 'string' &&
      Object.values(BlockerType).includes(b.type as BlockerType)
    ) {
      const layer: string = layerOf(b.type as BlockerType);
      if (layer !== b.layer)
        at(`${path}.layer`, `layer ${b.layer} does not match type ${b.type}, which is ${layer}`);
    }
    if (b.resolution === undefined || b.resolution === null) b.resolution = null;
    else if (!isObject(b.resolution)) at(`${path}.resolution`, 'must be an object');
    else {
      code(
        `${path}.resolution`,
        b.resolution,
        'kind',
        'resolution kind',
        Object.values(ResolutionKind),
        true,
      );
      text(`${path}.resolution`, b.resolution, 'summary', true);
      text(`${path}.resolution`, b.resolution, 'reference', false);
    }
    if (b.status === BlockerStatus.RESOLVED && b.resolution === null)
      at(`${path}.resolution`, 'a resolved blocker needs a resolution');
    if (b.decision === undefined || b.decision === null) b.decision = null;
    else if (!isObject(b.decision)) at(`${path}.decision`, 'must be an object');
    else {
      code(`${path}.decision`, b.decision, 'level', 'priority level', Object.values(PriorityLevel), true);
      text(`${path}.decision`, b.decision, 'rationale', true);
      count(`${path}.decision`, b.decision, 'rank');
    }
    const records = (field: 'endorsements' | 'comments'): Json[] => {
      const v = b[field] ?? [];
      b[field] = v;
      if (!Array.isArray(v)) {
        at(`${path}.${field}`, 'must be a list');
        return [];
      }
      return v.map((item, j) => {
        if (!isObject(item)) at(`${path}.${field}[${j}]`, 'must be an object');
        return isObject(item) ? item : {};
      });
    };
    const date = (where: string, item: Json): void => {
      text(where, item, 'date', true);
      if (typeof item.date === 'string' && Number.isNaN(Date.parse(item.date)))
        at(`${where}.date`, 'must be a date and time (ISO 8601)');
    };
    const user = (where: string, item: Json, field: string, required: boolean): void => {
      const u = item[field];
      if (u === undefined || u === null) {
        if (required) at(`${where}.${field}`, 'missing');
        else item[field] = null;
      } else if (!isObject(u)) at(`${where}.${field}`, 'must be an object');
      else {
        for (const f of ['subject', 'name']) text(`${where}.${field}`, u, f, true);
        text(`${where}.${field}`, u, 'provider', false);
        u.roles ??= [];
        if (
          !Array.isArray(u.roles) ||
          u.roles.some((r) => typeof r !== 'string' || !(Object.values(Role) as string[]).includes(r))
        )
          at(`${where}.${field}.roles`, `must be a list of roles (${Object.values(Role).join(', ')})`);
      }
    };
    records('endorsements').forEach((e, j) => {
      const where = `${path}.endorsements[${j}]`;
      text(where, e, 'provider', true);
      text(where, e, 'note', false);
      date(where, e);
      user(where, e, 'user', false);
    });
    records('comments').forEach((c, j) => {
      const where = `${path}.comments[${j}]`;
      text(where, c, 'body', true);
      date(where, c);
      user(where, c, 'author', true);
    });
  });

  const keys = new Set(blockers.map((b) => b.key));
  const needRefs = new Set(needs.map((n) => n.ref));
  blockers.forEach((b, i) => {
    for (const ref of (b.affectedNeeds as string[]) ?? [])
      if (!needRefs.has(ref)) at(`blockers[${i}].affectedNeeds`, `no need with ref "${ref}" in the document`);
    for (const key of (b.dependsOn as string[]) ?? [])
      if (!keys.has(key)) at(`blockers[${i}].dependsOn`, `no blocker with key "${key}" in the document`);
    if (typeof b.duplicateOf === 'string' && !keys.has(b.duplicateOf))
      at(`blockers[${i}].duplicateOf`, `no blocker with key "${b.duplicateOf}" in the document`);
  });
  const document = {
    ...empty,
    exportedAt: typeof json.exportedAt === 'string' ? json.exportedAt : undefined,
    providers,
    datasets,
    needs,
    blockers,
  } as unknown as RegistryDocument;
  return { document, origins, problems };
}
