import { AuditEventEntity } from '@app/audit/entities/audit-event.entity';
import { UserEntity } from '@app/auth/entities/user.entity';
import { BlockerEntity } from '@app/blockers/entities/blocker.entity';
import {
  BlockerDependencyEntity,
  BlockerNeedEntity,
  CommentEntity,
  EndorsementEntity,
} from '@app/blockers/entities/links.entity';
import { IdempotencyKeyEntity } from '@app/core/idempotency/idempotency-key.entity';
import { DataNeedEntity } from '@app/needs/entities/data-need.entity';
import { DatasetEntity } from '@app/providers/entities/dataset.entity';
import { ProviderEntity } from '@app/providers/entities/provider.entity';

/** Every persisted entity; the data source and the drift test read this list. */
export const ENTITIES = [
  ProviderEntity,
  DatasetEntity,
  UserEntity,
  DataNeedEntity,
  BlockerEntity,
  BlockerNeedEntity,
  EndorsementEntity,
  BlockerDependencyEntity,
  CommentEntity,
  AuditEventEntity,
  IdempotencyKeyEntity,
];
