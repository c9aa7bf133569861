import { DEFAULT_PRIORITY_WEIGHTS, PriorityWeights } from '@app/config/app-config';
import { computePriority, PriorityFactorValue, PriorityInput, PriorityResult } from './priority';
import { Effort, Severity } from './taxonomy';

const TODAY = new Date('2025-03-10T12:00:00Z');

/** A blocker that scores 0 on every factor except what a test sets. */
const base = (overrides: Partial<PriorityInput> = {}): PriorityInput => ({
  severity: Severity.LOW,
  peopleAffectedPerYear: null,
  affectedNeedsAnnualCases: 0,
  manualHoursPerYear: null,
  affectedProviders: 0,
  endorsements: 0,
  needsUnblocked: 0,
  openDependents: 0,
  targetDate: null,
  effort: Effort.XS,
  ...overrides,
});

/** Only one factor weighs, with weight 1, so the score is 100 x that factor's value (effort XS). */
const only = (name: keyof PriorityWeights): PriorityWeights => ({
  severity: 0,
  people: 0,
  work: 0,
  reach: 0,
  unblocks: 0,
  dependents: 0,
  urgency: 0,
  [name]: 1,
});

const factor = (result: PriorityResult, name: keyof PriorityWeights): PriorityFactorValue => {
  const found = result.factors.find((f) => f.name === name);
  if (!found) throw new Error(`no factor ${name}`);
  return found;
};

const valueOf = (name: keyof PriorityWeights, input: Partial<PriorityInput>, today = TODAY): number =>
  factor(computePriority(base(input), DEFAULT_PRIORITY_WEIGHTS, today), name).value;

describe('computePriority', () => {
  it('lists the factors in the order of the brief with the configured weights', () => {
    const result = computePriority(base(), DEFAULT_PRIORITY_WEIGHTS, TODAY);
    expect(result.factors.map((f) => f.name)).toEqual([
      'severity',
      'people',
      'work',
      'reach',
      'unblocks',
      'dependents',
      'urgency',
    ]);
    expect(result.factors.map((f) => f.weight)).toEqual([0.2, 0.25, 0.1, 0.15, 0.15, 0.1, 0.05]);
  });

  describe('severity', () => {
    it.each([
      [Severity.CRITICAL, 1],
      [Severity.HIGH, 0.7],
      [Severity.MEDIUM, 0.4],
      [Severity.LOW, 0.15],
    ])('%s is %d', (severity, expected) => {
      expect(valueOf('severity', { severity })).toBe(expected);
    });
  });

  describe('people', () => {
    it.each([
      [0, 0],
      [9, 0.1667], // log10(10) / 6 = 1/6
      [999, 0.5], // log10(1000) / 6 = 3/6
      [999_999, 1], // log10(10^6) / 6 = 1, the cap
      [50_000_000, 1], // above the cap
    ])('peopleAffectedPerYear %d gives %d', (people, expected) => {
      expect(valueOf('people', { peopleAffectedPerYear: people })).toBe(expected);
    });

    it('falls back to the annual cases of the affected needs when the impact figure is null', () => {
      expect(valueOf('people', { peopleAffectedPerYear: null, affectedNeedsAnnualCases: 999 })).toBe(0.5);
    });

    it('uses the impact figure, even 0, when it is set', () => {
      expect(valueOf('people', { peopleAffectedPerYear: 0, affectedNeedsAnnualCases: 999 })).toBe(0);
      expect(valueOf('people', { peopleAffectedPerYear: 9, affectedNeedsAnnualCases: 999_999 })).toBe(0.1667);
    });
  });

  describe('work', () => {
    it.each([
      [null, 0],
      [0, 0],
      [9, 0.2], // log10(10) / 5
      [99_999, 1], // log10(10^5) / 5 = 1, the cap
      [1_000_000, 1],
    ])('manualHoursPerYear %p gives %d', (hours, expected) => {
      expect(valueOf('work', { manualHoursPerYear: hours })).toBe(expected);
    });
  });

  describe('reach', () => {
    it.each([
      [0, 0, 0],
      [3, 0, 0.3],
      [0, 4, 0.4],
      [3, 4, 0.7],
      [6, 4, 1],
      [8, 9, 1],
    ])('%d providers and %d endorsements give %d', (affectedProviders, endorsements, expected) => {
      expect(valueOf('reach', { affectedProviders, endorsements })).toBe(expected);
    });
  });

  describe('unblocks', () => {
    it.each([
      [0, 0],
      [1, 0.1],
      [9, 0.9],
      [10, 1],
      [25, 1],
    ])('%d needs unblocked give %d', (needsUnblocked, expected) => {
      expect(valueOf('unblocks', { needsUnblocked })).toBe(expected);
    });
  });

  describe('dependents', () => {
    it.each([
      [0, 0],
      [1, 0.2],
      [4, 0.8],
      [5, 1],
      [12, 1],
    ])('%d open dependents give %d', (openDependents, expected) => {
      expect(valueOf('dependents', { openDependents })).toBe(expected);
    });
  });

  describe('urgency', () => {
    // TODAY is 2025-03-10 (UTC); 2025-06-08 is 90 days later, 2026-03-10 is 365 days later.
    it.each([
      [null, 0],
      ['2025-03-10', 1], // today
      ['2024-01-01', 1], // already passed
      ['2025-06-08', 1], // 90 days
      ['2025-06-09', 0.5], // 91 days
      ['2026-03-10', 0.5], // 365 days
      ['2026-03-11', 0], // 366 days
      ['2030-01-01', 0],
    ])('target date %p gives %d', (targetDate, expected) => {
      expect(valueOf('urgency', { targetDate })).toBe(expected);
    });

    it("counts days from today's UTC date, not from the time of day", () => {
      const lateEvening = new Date('2025-03-10T23:59:59Z');
      const earlyMorning = new Date('2025-03-10T00:00:00Z');
      expect(valueOf('urgency', { targetDate: '2025-06-08' }, lateEvening)).toBe(1);
      expect(valueOf('urgency', { targetDate: '2025-06-09' }, earlyMorning)).toBe(0.5);
      // One day later, the 91st day becomes the 90th.
      expect(valueOf('urgency', { targetDate: '2025-06-09' }, new Date('2025-03-11T00:00:01Z'))).toBe(1);
    });

    it('treats an unreadable target date as no target date', () => {
      expect(valueOf('urgency', { targetDate: 'next week' })).toBe(0);
      expect(valueOf('urgency', { targetDate: '2025-02-30' })).toBe(0);
    });
  });

  describe('divisor', () => {
    it.each([
      [Effort.XS, 1],
      [Effort.S, 1.2],
      [Effort.M, 1.5],
      [Effort.L, 2],
      [Effort.XL, 3],
      [null, 1.5],
    ])('effort %p divides by %d', (effort, divisor) => {
      // Cost of delay 0.6 (reach 6/10 with all weight on reach).
      const result = computePriority(base({ effort, affectedProviders: 6 }), only('reach'), TODAY);
      expect(result.divisor).toBe(divisor);
      expect(result.costOfDelay).toBe(0.6);
      expect(result.score).toBeCloseTo(60 / divisor, 2);
    });

    it('gives the exact scores per effort, rounded to 2 decimals', () => {
      const score = (effort: Effort | null): number =>
        computePriority(base({ effort, affectedProviders: 6 }), only('reach'), TODAY).score;
      expect([Effort.XS, Effort.S, Effort.M, Effort.L, Effort.XL, null].map(score)).toEqual([
        60, 50, 40, 30, 20, 40,
      ]);
    });
  });

  it('scores blocker B1 of the demo data', () => {
    // B1: CRITICAL, peopleAffectedPerYear 45000, manualHoursPerYear 20000, effort L, no target date,
    // affected needs N1 (SVB <- UWV) and N2 (SVB <- BD): distinct providers SVB, UWV, BD = 3, 0 endorsements.
    // severity   1                         x 0.20 = 0.2
    // people     log10(45001)/6 = 4.653222/6 = 0.775537 x 0.25 = 0.193884
    // work       log10(20001)/5 = 4.301052/5 = 0.860210 x 0.10 = 0.086021
    // reach      (3 + 0)/10 = 0.3          x 0.15 = 0.045
    // unblocks 0, dependents 0, urgency 0
    // cost of delay = 0.2 + 0.193884 + 0.086021 + 0.045 = 0.524905
    // score = 100 x 0.524905 / 2 (L) = 26.2453 -> 26.25
    const result = computePriority(
      {
        severity: Severity.CRITICAL,
        peopleAffectedPerYear: 45000,
        affectedNeedsAnnualCases: 51000 + 51000,
        manualHoursPerYear: 20000,
        affectedProviders: 3,
        endorsements: 0,
        needsUnblocked: 0,
        openDependents: 0,
        targetDate: null,
        effort: Effort.L,
      },
      DEFAULT_PRIORITY_WEIGHTS,
      TODAY,
    );
    expect(result.score).toBe(26.25);
    expect(result.divisor).toBe(2);
    expect(result.costOfDelay).toBe(0.5249);
    expect(result.factors).toEqual([
      { name: 'severity', value: 1, weight: 0.2, contribution: 0.2 },
      { name: 'people', value: 0.7755, weight: 0.25, contribution: 0.1939 },
      { name: 'work', value: 0.8602, weight: 0.1, contribution: 0.086 },
      { name: 'reach', value: 0.3, weight: 0.15, contribution: 0.045 },
      { name: 'unblocks', value: 0, weight: 0.15, contribution: 0 },
      { name: 'dependents', value: 0, weight: 0.1, contribution: 0 },
      { name: 'urgency', value: 0, weight: 0.05, contribution: 0 },
    ]);
  });

  it('computes the score from unrounded values, not from the rounded contributions', () => {
    // people log10(1 + 1)/6 = 0.0501717 (shown 0.0502), work log10(1 + 17)/5 = 0.2510545 (shown 0.2511),
    // both with weight 1, effort XS: 100 x 0.3012262 = 30.12, where the shown values would give 30.13.
    const weights: PriorityWeights = { ...only('people'), work: 1 };
    const result = computePriority(
      base({ peopleAffectedPerYear: 1, manualHoursPerYear: 17 }),
      weights,
      TODAY,
    );
    expect(factor(result, 'people')).toEqual({
      name: 'people',
      value: 0.0502,
      weight: 1,
      contribution: 0.0502,
    });
    expect(factor(result, 'work')).toEqual({ name: 'work', value: 0.2511, weight: 1, contribution: 0.2511 });
    expect(result.costOfDelay).toBe(0.3012);
    expect(result.score).toBe(30.12);
  });

  it('uses overridden weights', () => {
    const weights: PriorityWeights = {
      severity: 0.5,
      people: 0,
      work: 0,
      reach: 0.1,
      unblocks: 0.2,
      dependents: 0,
      urgency: 0.2,
    };
    // 0.5 x 0.4 (MEDIUM) + 0.1 x 0.5 (5 providers) + 0.2 x 0.3 (3 needs) + 0.2 x 1 (target in 10 days)
    // = 0.2 + 0.05 + 0.06 + 0.2 = 0.51; effort M: 100 x 0.51 / 1.5 = 34
    const result = computePriority(
      base({
        severity: Severity.MEDIUM,
        peopleAffectedPerYear: 999_999,
        manualHoursPerYear: 99_999,
        affectedProviders: 5,
        needsUnblocked: 3,
        openDependents: 5,
        targetDate: '2025-03-20',
        effort: Effort.M,
      }),
      weights,
      TODAY,
    );
    expect(result.factors.map((f) => f.weight)).toEqual([0.5, 0, 0, 0.1, 0.2, 0, 0.2]);
    expect(factor(result, 'people')).toEqual({ name: 'people', value: 1, weight: 0, contribution: 0 });
    expect(result.costOfDelay).toBe(0.51);
    expect(result.score).toBe(34);
  });

  it('gives the maximum of 100 for a blocker at every cap with effort XS and default weights', () => {
    const result = computePriority(
      base({
        severity: Severity.CRITICAL,
        peopleAffectedPerYear: 10_000_000,
        manualHoursPerYear: 1_000_000,
        affectedProviders: 10,
        needsUnblocked: 10,
        openDependents: 5,
        targetDate: '2025-04-01',
        effort: Effort.XS,
      }),
      DEFAULT_PRIORITY_WEIGHTS,
      TODAY,
    );
    expect(result.factors.every((f) => f.value === 1)).toBe(true);
    expect(result.costOfDelay).toBe(1);
    expect(result.score).toBe(100);
  });

  it('clamps the score to 100 when the weights sum to more than 1', () => {
    const heavy: PriorityWeights = { ...DEFAULT_PRIORITY_WEIGHTS, severity: 2, reach: 1 };
    const result = computePriority(
      base({ severity: Severity.CRITICAL, affectedProviders: 10 }),
      heavy,
      TODAY,
    );
    expect(result.costOfDelay).toBeCloseTo(3, 4);
    expect(result.score).toBe(100);
  });

  it('clamps the score to 0 when a weight is negative', () => {
    const negative: PriorityWeights = { ...only('severity'), severity: -1 };
    const result = computePriority(base({ severity: Severity.HIGH }), negative, TODAY);
    expect(factor(result, 'severity').contribution).toBe(-0.7);
    expect(result.score).toBe(0);
  });

  it('scores 0 with a LOW severity and nothing else when severity weighs nothing', () => {
    expect(computePriority(base(), { ...DEFAULT_PRIORITY_WEIGHTS, severity: 0 }, TODAY).score).toBe(0);
  });

  it('treats negative inputs as 0', () => {
    const result = computePriority(
      base({
        peopleAffectedPerYear: -500,
        manualHoursPerYear: -3,
        affectedProviders: -4,
        endorsements: -1,
        needsUnblocked: -2,
        openDependents: -7,
      }),
      DEFAULT_PRIORITY_WEIGHTS,
      TODAY,
    );
    for (const name of ['people', 'work', 'reach', 'unblocks', 'dependents'] as const) {
      expect(factor(result, name).value).toBe(0);
    }
    // Only LOW severity counts: 0.2 x 0.15 = 0.03 -> 3 with effort XS.
    expect(result.score).toBe(3);
  });

  it('does not let a negative count cancel a positive one', () => {
    expect(valueOf('reach', { affectedProviders: 4, endorsements: -4 })).toBe(0.4);
  });

  it('treats negative annual cases as 0 in the fallback', () => {
    expect(valueOf('people', { peopleAffectedPerYear: null, affectedNeedsAnnualCases: -10 })).toBe(0);
  });
});
