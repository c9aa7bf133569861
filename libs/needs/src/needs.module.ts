import { Module } from '@nestjs/common';
import { NeedsService } from './needs.service';

@Module({ providers: [NeedsService], exports: [NeedsService] })
export class NeedsModule {}
