import { Module } from '@nestjs/common';
import { AuthApiModule } from '@app/auth/api';
import { AuditEventResolver } from './audit.resolver';

@Module({ imports: [AuthApiModule], providers: [AuditEventResolver] })
export class AuditApiModule {}
