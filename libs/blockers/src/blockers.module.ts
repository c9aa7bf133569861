import { Module, Provider } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { NeedsModule } from '@app/needs';
import {
  BLOCKER_EVENT_TRANSPORT,
  BlockerEvents,
  BlockerEventTransport,
  InProcessEventTransport,
} from './blocker-events';
import { BlockerReadsService } from './blocker-reads.service';
import { BlockerWriter } from './blocker-writer';
import { BlockersService } from './blockers.service';
import { PriorityService } from './priority.service';
import { RedisEventTransport } from './redis-event-transport';
import { RelationsService } from './relations.service';
import { UrgencyRefreshService } from './urgency-refresh.service';
import { WorkflowService } from './workflow.service';

const SERVICES = [
  BlockersService,
  BlockerReadsService,
  BlockerWriter,
  BlockerEvents,
  PriorityService,
  RelationsService,
  WorkflowService,
  UrgencyRefreshService,
];

/** Blocker events go through Redis when REDIS_URL is set (every instance hears them), else stay in process. */
const EVENT_TRANSPORT: Provider = {
  provide: BLOCKER_EVENT_TRANSPORT,
  inject: [AppConfig],
  useFactory: (config: AppConfig): BlockerEventTransport =>
    config.redisUrl
      ? new RedisEventTransport(config.redisUrl, `${config.redisChannelPrefix}blocker-events`)
      : new InProcessEventTransport(),
};

/** Blockers, their workflow, relations and priority, without the GraphQL layer. */
@Module({ imports: [NeedsModule], providers: [...SERVICES, EVENT_TRANSPORT], exports: SERVICES })
export class BlockersModule {}
