export * from './auth.module';
export * from './auth.service';
export * from './token-claims';
export * from './entities/user.entity';
export * from './users.service';
