export * from './domain/identifiers';
export * from './entities/dataset.entity';
export * from './entities/provider.entity';
export * from './datasets.service';
export * from './providers.service';
export * from './providers.module';
