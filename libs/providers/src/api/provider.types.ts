import { Field, ID, InputType, ObjectType, PartialType, registerEnumType } from '@nestjs/graphql';
import { IsOptional, Matches } from 'class-validator';
import {
  BoolField,
  Connection,
  EnumField,
  EnumListField,
  IdField,
  NodeInterface,
  TextField,
} from '@app/core/graphql';
import { toGlobalId } from '@app/core';
import { OIN_PATTERN, TOOI_PATTERN } from '../domain/identifiers';
import { DatasetEntity } from '../entities/dataset.entity';
import { ProviderEntity, ProviderKind } from '../entities/provider.entity';

registerEnumType(ProviderKind, {
  name: 'ProviderKind',
  valuesMap: {
    EXECUTIVE_AGENCY: {
      description: 'ZBO, agency or other national executive organisation (UWV, SVB, DUO, RDW, ...).',
    },
    CHAIN_ORGANISATION: {
      description: 'Organisation that runs a chain or exchange facility (Inlichtingenbureau, BKWI, ...).',
    },
  },
});

@ObjectType('Provider', { implements: () => [NodeInterface] })
export class ProviderNode {
  @Field(() => ID)
  id: string;
  @Field()
  name: string;
  @Field(() => String, { nullable: true })
  abbreviation: string | null;
  @Field(() => ProviderKind)
  kind: ProviderKind;
  @Field(() => String, {
    nullable: true,
    description:
      'Organisatie-identificatienummer: exactly 20 characters, digits except in the main number; unique when set.',
  })
  oin: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'TOOI URI, e.g. https://identifier.overheid.nl/tooi/id/zbo/zb000117; unique when set.',
  })
  tooiUri: string | null;
  @Field()
  createdAt: Date;
  @Field()
  updatedAt: Date;

  __typename: 'Provider';
  localId: string;
  parentId: string | null;

  static from(e: ProviderEntity): ProviderNode {
    return Object.assign(new ProviderNode(), {
      __typename: 'Provider' as const,
      id: toGlobalId('Provider', e.id),
      localId: e.id,
      name: e.name,
      abbreviation: e.abbreviation,
      kind: e.kind,
      oin: e.oin,
      tooiUri: e.tooiUri,
      parentId: e.parentId,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    });
  }
}

@ObjectType('Dataset', { implements: () => [NodeInterface] })
export class DatasetNode {
  @Field(() => ID)
  id: string;
  @Field()
  name: string;
  @Field(() => String, {
    nullable: true,
    description: 'Short code, unique per holder, e.g. BRP, BRI, POLIS.',
  })
  code: string | null;
  @Field(() => String, { nullable: true })
  description: string | null;
  @Field({ description: 'One of the Dutch basisregistraties.' })
  isBaseRegistry: boolean;
  @Field()
  containsPersonalData: boolean;
  @Field()
  createdAt: Date;

  __typename: 'Dataset';
  localId: string;
  holderId: string;

  static from(e: DatasetEntity): DatasetNode {
    return Object.assign(new DatasetNode(), {
      __typename: 'Dataset' as const,
      id: toGlobalId('Dataset', e.id),
      localId: e.id,
      holderId: e.holderId,
      name: e.name,
      code: e.code,
      description: e.description,
      isBaseRegistry: e.isBaseRegistry,
      containsPersonalData: e.containsPersonalData,
      createdAt: e.createdAt,
    });
  }
}

export const ProviderConnection = Connection(ProviderNode, 'Provider');
export const DatasetConnection = Connection(DatasetNode, 'Dataset');

@InputType()
export class ProviderFilter {
  @EnumListField(ProviderKind)
  kind?: ProviderKind[] | null;

  @TextField({ optional: true, max: 200, description: 'Matches name, abbreviation, OIN or TOOI URI.' })
  search?: string | null;
}

const OIN_MESSAGE = 'must be an OIN: 20 characters, an 8-digit prefix, a main number and a numeric suffix';
const TOOI_MESSAGE = 'must be a TOOI URI such as https://identifier.overheid.nl/tooi/id/zbo/zb000117';

@InputType()
export class CreateProviderInput {
  @TextField({ min: 2, max: 200, notBlank: true })
  name: string;

  @TextField({ optional: true, min: 1, max: 40 })
  abbreviation?: string | null;

  @EnumField(ProviderKind)
  kind: ProviderKind;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(OIN_PATTERN, { message: OIN_MESSAGE })
  oin?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(TOOI_PATTERN, { message: TOOI_MESSAGE })
  tooiUri?: string | null;

  @IdField({ optional: true })
  parentId?: string | null;
}

/** Every field of CreateProviderInput, optional, with the same validation; null clears a nullable one. */
@InputType()
export class UpdateProviderInput extends PartialType(CreateProviderInput) {
  @IdField()
  id: string;
}

@InputType()
export class RegisterDatasetInput {
  @IdField()
  holderId: string;

  @TextField({ min: 2, max: 200, notBlank: true })
  name: string;

  @TextField({ optional: true, min: 1, max: 40 })
  code?: string | null;

  @TextField({ optional: true, max: 5000 })
  description?: string | null;

  @BoolField({ optional: true, defaultValue: false })
  isBaseRegistry?: boolean;

  @BoolField({ optional: true, defaultValue: true })
  containsPersonalData?: boolean;
}
