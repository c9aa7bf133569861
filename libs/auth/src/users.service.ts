import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { TransactionService } from '@app/core';
import { UserEntity } from './entities/user.entity';

@Injectable()
export class UsersService {
  constructor(private readonly tx: TransactionService) {}

  async byIds(ids: readonly string[]): Promise<UserEntity[]> {
    return ids.length === 0
      ? []
      : this.tx.manager.getRepository(UserEntity).find({ where: { id: In([...ids]) } });
  }
}
