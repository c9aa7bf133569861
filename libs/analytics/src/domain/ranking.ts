/**
 * Every open blocker of a RegistryIndex scored and ranked by one measure (criticalBlockers of
 * ./impact over all open blockers), kept current across patches of the index: after a patch only the
 * blockers whose scores it may have changed are scored again and merged back into the order.
 */
import { BlockerScoreIds, criticalBlockers, IMPACT_MEASURE, ImpactMeasure, scoreBlocker } from './impact';
import { RegistryIndex } from './registry-index';

export class Ranking {
  private constructor(
    readonly index: RegistryIndex,
    private readonly by: ImpactMeasure,
    private ranked: BlockerScoreIds[],
    private version: number,
  ) {}

  static of(index: RegistryIndex, by: ImpactMeasure): Ranking {
    const ranked = criticalBlockers(
      index.impactGraph,
      index.impactGraph.open,
      by,
      Number.MAX_SAFE_INTEGER,
      (id) => tieKey(index, id),
    );
    return new Ranking(index, by, ranked, index.version);
  }

  /**
   * Bring the ranking to its index's current version; false when the index no longer knows what the
   * patches since changed (the ranking must then be made afresh).
   */
  catchUp(): boolean {
    const { index } = this;
    if (this.version === index.version) return true;
    const change = index.changesSince(this.version);
    if (change === null) return false;
    const graph = index.impactGraph;
    const kept = this.ranked.filter((s) => !change.scored.has(s.blockerId));
    const rescored = [...change.scored]
      .filter((id) => graph.open.has(id))
      .map((id) => scoreBlocker(graph, id))
      .sort((a, b) => this.compare(a, b));
    const merged: BlockerScoreIds[] = [];
    let i = 0;
    let j = 0;
    while (i < kept.length || j < rescored.length) {
      if (j >= rescored.length || (i < kept.length && this.compare(kept[i], rescored[j]) <= 0))
        merged.push(kept[i++]);
      else merged.push(rescored[j++]);
    }
    this.ranked = merged;
    this.version = index.version;
    return true;
  }

  private compare(a: BlockerScoreIds, b: BlockerScoreIds): number {
    const measure = IMPACT_MEASURE[this.by];
    return measure(b) - measure(a) || tieKey(this.index, a.blockerId) - tieKey(this.index, b.blockerId);
  }

  /** The first `first` of the ranking for which `visible` holds. */
  visibleFirst(first: number, visible: (blockerId: string) => boolean): BlockerScoreIds[] {
    const result: BlockerScoreIds[] = [];
    for (const score of this.ranked) {
      if (result.length >= first) break;
      if (visible(score.blockerId)) result.push(score);
    }
    return result;
  }
}

const tieKey = (index: RegistryIndex, id: string): number =>
  index.blockers.get(id)?.number ?? Number.MAX_SAFE_INTEGER;
