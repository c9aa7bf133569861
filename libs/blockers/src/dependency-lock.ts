import { EntityManager } from 'typeorm';

/** One lock for every change to the dependency graph, so two opposite edges cannot both get in. */
const DEPENDENCY_GRAPH_LOCK = 4_812_208;

/**
 * Serialises changes of the dependency graph (adding, removing and, on a merge, moving edges); held
 * until the transaction ends. Taken before the score lock and before any blocker row.
 */
export async function lockDependencyGraph(manager: EntityManager): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1)', [DEPENDENCY_GRAPH_LOCK]);
}
