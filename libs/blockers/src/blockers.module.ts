import { Module } from '@nestjs/common';
import { NeedsModule } from '@app/needs';
import { BlockerEvents } from './blocker-events';
import { BlockerReadsService } from './blocker-reads.service';
import { BlockerWriter } from './blocker-writer';
import { BlockersService } from './blockers.service';
import { PriorityService } from './priority.service';
import { RelationsService } from './relations.service';
import { WorkflowService } from './workflow.service';

const SERVICES = [
  BlockersService,
  BlockerReadsService,
  BlockerWriter,
  BlockerEvents,
  PriorityService,
  RelationsService,
  WorkflowService,
];

/** Blockers, their workflow, relations and priority, without the GraphQL layer. */
@Module({ imports: [NeedsModule], providers: SERVICES, exports: SERVICES })
export class BlockersModule {}
