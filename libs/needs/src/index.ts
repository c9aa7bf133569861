export * from './entities/data-need.entity';
export * from './needs.module';
export * from './needs.service';
