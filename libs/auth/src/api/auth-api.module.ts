import { Module } from '@nestjs/common';
import { ProvidersApiModule } from '@app/providers/api';
import { UsersService } from '../users.service';
import { UserLoaders, UserResolver } from './user.resolver';

@Module({
  imports: [ProvidersApiModule],
  providers: [UsersService, UserLoaders, UserResolver],
  exports: [UserLoaders],
})
export class AuthApiModule {}
