/**
 * The priority score of a blocker (brief, "Priority score"): a WSJF-style cost of delay divided by
 * effort, 0 to 100, explained by its factors. Every factor is normalised to 0..1 and weighted by
 * configuration; the score is computed from the unrounded values, the values shown are rounded.
 * Pure: no framework, no database, and "today" is a parameter so the result is reproducible.
 */
import { PriorityWeights } from '@app/config/app-config';
import { Effort, Severity } from './taxonomy';

export interface PriorityInput {
  severity: Severity;
  /** impact figure peopleAffectedPerYear, or null */
  peopleAffectedPerYear: number | null;
  /** sum of annualCases of the affected needs (nulls count 0) — used when peopleAffectedPerYear is null */
  affectedNeedsAnnualCases: number;
  manualHoursPerYear: number | null;
  /** distinct requesters+suppliers of affected needs */
  affectedProviders: number;
  endorsements: number;
  /** needs that would be unblocked if this blocker (and its open prerequisites) were resolved */
  needsUnblocked: number;
  /** open blockers waiting on it, transitively */
  openDependents: number;
  /** 'YYYY-MM-DD' */
  targetDate: string | null;
  effort: Effort | null;
}

export interface PriorityFactorValue {
  name: keyof PriorityWeights;
  value: number;
  weight: number;
  contribution: number;
}

export interface PriorityResult {
  score: number;
  factors: PriorityFactorValue[];
  costOfDelay: number;
  divisor: number;
}

export const SEVERITY_VALUE: Readonly<Record<Severity, number>> = {
  [Severity.CRITICAL]: 1,
  [Severity.HIGH]: 0.7,
  [Severity.MEDIUM]: 0.4,
  [Severity.LOW]: 0.15,
};

export const EFFORT_DIVISOR: Readonly<Record<Effort, number>> = {
  [Effort.XS]: 1,
  [Effort.S]: 1.2,
  [Effort.M]: 1.5,
  [Effort.L]: 2,
  [Effort.XL]: 3,
};

/** Divisor when the effort is not known. */
export const UNKNOWN_EFFORT_DIVISOR = 1.5;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Negative counts (and NaN) count as 0. */
const nonNegative = (n: number | null | undefined): number =>
  n !== null && n !== undefined && n > 0 ? n : 0;

/** Round to `digits` decimals, immune to binary artefacts such as 1.005 * 100 = 100.49999... */
const round = (n: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(Number((n * f).toPrecision(15))) / f;
};

export const severityValue = (severity: Severity): number => SEVERITY_VALUE[severity] ?? 0;

export const peopleValue = (people: number): number => Math.min(1, Math.log10(1 + nonNegative(people)) / 6);

export const workValue = (hours: number | null): number =>
  Math.min(1, Math.log10(1 + nonNegative(hours)) / 5);

export const reachValue = (affectedProviders: number, endorsements: number): number =>
  Math.min(1, (nonNegative(affectedProviders) + nonNegative(endorsements)) / 10);

export const unblocksValue = (needsUnblocked: number): number =>
  Math.min(1, nonNegative(needsUnblocked) / 10);

export const dependentsValue = (openDependents: number): number =>
  Math.min(1, nonNegative(openDependents) / 5);

/**
 * 1 when the target date is at most 90 days after today's UTC date (a date already passed counts too),
 * 0.5 when at most 365 days, else 0; no (or an unreadable) target date is 0.
 */
export function urgencyValue(targetDate: string | null, today: Date): number {
  if (!targetDate) return 0;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(targetDate);
  if (!match) return 0;
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const target = Date.UTC(year, month, day);
  const check = new Date(target);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month || check.getUTCDate() !== day)
    return 0;
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  if (Number.isNaN(todayUtc)) return 0;
  const days = Math.round((target - todayUtc) / DAY_MS);
  if (days <= 90) return 1;
  if (days <= 365) return 0.5;
  return 0;
}

export const effortDivisor = (effort: Effort | null): number =>
  effort === null ? UNKNOWN_EFFORT_DIVISOR : (EFFORT_DIVISOR[effort] ?? UNKNOWN_EFFORT_DIVISOR);

export function computePriority(input: PriorityInput, weights: PriorityWeights, today: Date): PriorityResult {
  const people = input.peopleAffectedPerYear ?? input.affectedNeedsAnnualCases;
  const values: Array<[keyof PriorityWeights, number]> = [
    ['severity', severityValue(input.severity)],
    ['people', peopleValue(people)],
    ['work', workValue(input.manualHoursPerYear)],
    ['reach', reachValue(input.affectedProviders, input.endorsements)],
    ['unblocks', unblocksValue(input.needsUnblocked)],
    ['dependents', dependentsValue(input.openDependents)],
    ['urgency', urgencyValue(input.targetDate, today)],
  ];
  let costOfDelay = 0;
  const factors = values.map(([name, value]): PriorityFactorValue => {
    const weight = weights[name];
    const contribution = weight * value;
    costOfDelay += contribution;
    return { name, value: round(value, 4), weight, contribution: round(contribution, 4) };
  });
  const divisor = effortDivisor(input.effort);
  const raw = (100 * costOfDelay) / divisor;
  const score = Number.isNaN(raw) ? 0 : round(Math.min(100, Math.max(0, raw)), 2);
  return { score, factors, costOfDelay: round(costOfDelay, 4), divisor };
}
