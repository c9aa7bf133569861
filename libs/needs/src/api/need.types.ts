import {
  Field,
  ID,
  InputType,
  Int,
  ObjectType,
  PartialType,
  PickType,
  registerEnumType,
} from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsString, Length } from 'class-validator';
import { toGlobalId } from '@app/core';
import {
  Connection,
  EnumField,
  EnumListField,
  IdField,
  IntField,
  NodeInterface,
  TextField,
} from '@app/core/graphql';
import { DataNeedEntity, DataNeedState } from '../entities/data-need.entity';

registerEnumType(DataNeedState, {
  name: 'DataNeedState',
  valuesMap: {
    REQUESTED: { description: 'Declared; no open blocker; the exchange does not run yet.' },
    BLOCKED: {
      description: 'At least one open blocker affects it. Kept by the server, never set by a client.',
    },
    FLOWING: { description: 'The exchange works (confirmed by a steward of the requester).' },
  },
});

@ObjectType('DataNeed', { implements: () => [NodeInterface] })
export class DataNeedNode {
  @Field(() => ID)
  id: string;
  @Field(() => [String])
  dataElements: string[];
  @Field({ description: 'Why the requester needs the data.' })
  purpose: string;
  @Field(() => String, { nullable: true, description: 'The public service or process the data serves.' })
  service: string | null;
  @Field(() => String, { nullable: true, description: "Legal basis as cited, e.g. 'Wet SUWI art. 54'." })
  legalBasis: string | null;
  @Field(() => Int, {
    nullable: true,
    description: 'People or businesses served per year through this exchange.',
  })
  annualCases: number | null;
  @Field(() => DataNeedState)
  state: DataNeedState;
  @Field()
  createdAt: Date;
  @Field()
  updatedAt: Date;

  __typename: 'DataNeed';
  localId: string;
  requesterId: string;
  supplierId: string;
  datasetId: string | null;

  static from(e: DataNeedEntity): DataNeedNode {
    return Object.assign(new DataNeedNode(), {
      __typename: 'DataNeed' as const,
      id: toGlobalId('DataNeed', e.id),
      localId: e.id,
      requesterId: e.requesterId,
      supplierId: e.supplierId,
      datasetId: e.datasetId,
      dataElements: e.dataElements,
      purpose: e.purpose,
      service: e.service,
      legalBasis: e.legalBasis,
      annualCases: e.annualCases,
      state: e.state,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    });
  }
}

export const DataNeedConnection = Connection(DataNeedNode, 'DataNeed');

@InputType()
export class DataNeedFilter {
  @IdField({ optional: true })
  requesterId?: string | null;
  @IdField({ optional: true })
  supplierId?: string | null;
  @IdField({ optional: true })
  datasetId?: string | null;
  @EnumListField(DataNeedState)
  state?: DataNeedState[] | null;
}

const MAX_CASES = 100_000_000;

@InputType()
export class DeclareDataNeedInput {
  @IdField({ optional: true, description: "Defaults to the steward's own provider." })
  requesterId?: string | null;

  @IdField()
  supplierId: string;

  @IdField({ optional: true })
  datasetId?: string | null;

  @Field(() => [String])
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  dataElements: string[];

  @TextField({ min: 5, max: 2000, notBlank: true })
  purpose: string;

  @TextField({ optional: true, max: 300 })
  service?: string | null;

  @TextField({ optional: true, max: 300 })
  legalBasis?: string | null;

  @IntField({ optional: true, min: 0, max: MAX_CASES })
  annualCases?: number | null;
}

/** The descriptive fields of DeclareDataNeedInput, optional, with the same validation, and the state. */
@InputType()
export class UpdateDataNeedInput extends PartialType(
  PickType(DeclareDataNeedInput, [
    'dataElements',
    'purpose',
    'service',
    'legalBasis',
    'annualCases',
  ] as const),
) {
  @IdField()
  id: string;

  @EnumField(DataNeedState, {
    optional: true,
    description: "Only REQUESTED, FLOWING or WITHDRAWN; BLOCKED is the server's to set.",
  })
  state?: DataNeedState | null;
}
