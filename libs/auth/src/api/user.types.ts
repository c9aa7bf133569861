import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Role, toGlobalId } from '@app/core';
import { NodeInterface } from '@app/core/graphql';
import { UserEntity } from '../entities/user.entity';

registerEnumType(Role, {
  name: 'Role',
  valuesMap: {
    ADMIN: { description: 'Manages providers, users and configuration; may do everything.' },
    STEERING: {
      description: "Member of the network's steering group: triages, prioritises, escalates, decides.",
    },
    STEWARD: {
      description: 'Data steward of one provider: declares its data needs, reports and follows blockers.',
    },
    ANALYST: {
      description:
        'Reads everything that is not confidential, runs graph and report queries; changes nothing.',
    },
  },
});

@ObjectType('User', { implements: () => [NodeInterface] })
export class UserNode {
  @Field(() => ID)
  id: string;
  @Field({ description: "Stable subject from the identity provider (JWT 'sub')." })
  subject: string;
  @Field()
  name: string;
  @Field(() => [Role])
  roles: Role[];

  __typename: 'User';
  localId: string;
  /** Only a steward acts for a provider. */
  providerId: string | null;

  static from(e: Pick<UserEntity, 'id' | 'subject' | 'name' | 'roles' | 'providerId'>): UserNode {
    return Object.assign(new UserNode(), {
      __typename: 'User' as const,
      id: toGlobalId('User', e.id),
      localId: e.id,
      subject: e.subject,
      name: e.name,
      roles: e.roles,
      providerId: e.roles.includes(Role.STEWARD) ? e.providerId : null,
    });
  }
}
