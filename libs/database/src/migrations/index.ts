import { Initial1795946610549 } from './1795946610549-Initial';

/** Every migration, in order. Committed migrations are never rewritten; add a new one instead. */
export const MIGRATIONS = [Initial1795946610549];
