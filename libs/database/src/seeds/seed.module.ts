import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { BlockersModule } from '@app/blockers';
import { AppConfig } from '@app/config';
import { NeedsModule } from '@app/needs';
import { ProvidersModule } from '@app/providers';
import { DemoDataLoader } from './demo-data';

/** Loads the demo data on the first start with an empty database, unless DEMO_DATA=false. */
@Module({
  imports: [ProvidersModule, NeedsModule, BlockersModule],
  providers: [DemoDataLoader],
  exports: [DemoDataLoader],
})
export class SeedModule implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    private readonly loader: DemoDataLoader,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demoData) return;
    if (await this.loader.loadIfEmpty()) new Logger('DemoData').log('demo data loaded into the empty registry');
  }
}
