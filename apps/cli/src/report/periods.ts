import { DAY_MS } from '@app/analytics/domain/report';

export interface Period {
  from: Date;
  to: Date;
  /** The last day in the period, YYYY-MM-DD. */
  label: string;
}

export const MAX_PERIODS = 12;

/**
 * The report period cut into at most twelve equal steps of whole days (fewer for a short period), for
 * the chart of open and resolved blockers over time. The last step ends exactly at `to`.
 */
export function periodsBetween(from: Date, to: Date): Period[] {
  const days = Math.max(1, Math.ceil((to.getTime() - from.getTime()) / DAY_MS));
  const count = Math.min(MAX_PERIODS, days);
  const step = Math.ceil(days / count);
  const periods: Period[] = [];
  for (let start = from.getTime(); start < to.getTime(); start += step * DAY_MS) {
    const end = Math.min(start + step * DAY_MS, to.getTime());
    periods.push({
      from: new Date(start),
      to: new Date(end),
      label: new Date(end - 1).toISOString().slice(0, 10),
    });
  }
  return periods;
}
