import { Initial1795946610549 } from './1795946610549-Initial';
import { AddBlockerSearch1795948312216 } from './1795948312216-AddBlockerSearch';
import { AuditChain1795949000000 } from './1795949000000-AuditChain';
import { OpenBlockerIndex1795953684357 } from './1795953684357-OpenBlockerIndex';
import { IdempotencyKeys1795954226757 } from './1795954226757-IdempotencyKeys';
import { AffectedNeedOrder1795957000000 } from './1795957000000-AffectedNeedOrder';
import { ProgressReportIndexes1795958400000 } from './1795958400000-ProgressReportIndexes';
import { SearchIndexPendingList1795958500000 } from './1795958500000-SearchIndexPendingList';
import { PriorityInputs1795959000000 } from './1795959000000-PriorityInputs';
import { AuditChainSealedAtCommit1795959100000 } from './1795959100000-AuditChainSealedAtCommit';

/** Every migration, in order. Committed migrations are never rewritten; add a new one instead. */
export const MIGRATIONS = [
  Initial1795946610549,
  AddBlockerSearch1795948312216,
  AuditChain1795949000000,
  OpenBlockerIndex1795953684357,
  IdempotencyKeys1795954226757,
  AffectedNeedOrder1795957000000,
  ProgressReportIndexes1795958400000,
  SearchIndexPendingList1795958500000,
  PriorityInputs1795959000000,
  AuditChainSealedAtCommit1795959100000,
];
