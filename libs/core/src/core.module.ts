import { Global, Module } from '@nestjs/common';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { TransactionService } from './transaction.service';

@Global()
@Module({
  providers: [TransactionService, IdempotencyStore],
  exports: [TransactionService, IdempotencyStore],
})
export class CoreModule {}
