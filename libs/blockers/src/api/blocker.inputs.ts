import { Field, ID, InputType, OmitType, PartialType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsDate,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import {
  BoolField,
  DateScalar,
  EnumField,
  EnumListField,
  IdField,
  IntField,
  TextField,
  VersionField,
} from '@app/core/graphql';
import { BlockerOrderField, SortDirection } from '../blocker-query';
import {
  BlockerLayer,
  BlockerType,
  Effort,
  PriorityLevel,
  ResolutionKind,
  Severity,
} from '../domain/taxonomy';
import { BlockerStatus } from '../domain/workflow';

const MAX_FIGURE = 2_000_000_000;

/** A yearly impact figure: optional, 0 to two billion. */
const FigureField = (): PropertyDecorator => IntField({ optional: true, min: 0, max: MAX_FIGURE });

@InputType()
export class BlockerFilter {
  @EnumListField(BlockerStatus)
  status?: BlockerStatus[] | null;

  @BoolField({ optional: true })
  open?: boolean | null;

  @EnumListField(BlockerLayer)
  layer?: BlockerLayer[] | null;

  @EnumListField(BlockerType)
  type?: BlockerType[] | null;

  @EnumListField(Severity)
  severity?: Severity[] | null;

  @IdField({
    optional: true,
    description: 'Reporting, owning, endorsing or affected (as requester or supplier).',
  })
  providerId?: string | null;

  @IdField({ optional: true })
  ownerId?: string | null;

  @IdField({ optional: true })
  datasetId?: string | null;

  @EnumListField(PriorityLevel)
  level?: PriorityLevel[] | null;

  @TextField({
    optional: true,
    max: 200,
    description:
      'Full-text search over key, title, description and legal reference, Dutch and English stemming.',
  })
  search?: string | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  createdAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  createdBefore?: Date | null;

  @IntField({
    optional: true,
    min: 0,
    max: 36500,
    description: 'Open and without a status change for at least this many days.',
  })
  staleForDays?: number | null;
}

@InputType()
export class BlockerOrder {
  @EnumField(BlockerOrderField)
  field: BlockerOrderField;

  @EnumField(SortDirection)
  direction: SortDirection;
}

@InputType()
export class ImpactInput {
  @FigureField()
  peopleAffectedPerYear?: number | null;

  @FigureField()
  businessesAffectedPerYear?: number | null;

  @FigureField()
  manualHoursPerYear?: number | null;

  @FigureField()
  costPerYearEur?: number | null;
}

@InputType()
export class ReportBlockerInput {
  @TextField({ min: 5, max: 200, notBlank: true })
  title: string;

  @TextField({ min: 1, max: 20000, notBlank: true })
  description: string;

  @EnumField(BlockerType)
  type: BlockerType;

  @EnumField(Severity)
  severity: Severity;

  @BoolField({ optional: true, defaultValue: false })
  perceived?: boolean | null;

  @TextField({ optional: true, max: 300 })
  legalReference?: string | null;

  @Field(() => [ID], { description: 'At least one.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsString({ each: true })
  affectedNeedIds: string[];

  @IdField({ optional: true })
  ownerId?: string | null;

  @Field(() => ImpactInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ImpactInput)
  impact?: ImpactInput | null;

  @EnumField(Effort, { optional: true })
  effort?: Effort | null;

  @Field(() => DateScalar, { nullable: true })
  @IsOptional()
  @IsString()
  targetDate?: string | null;

  @BoolField({ optional: true, defaultValue: false })
  confidential?: boolean | null;

  @IdField({
    optional: true,
    description:
      "The provider on whose behalf the blocker is reported. A steward always reports for their own provider; for others it defaults to the token's organisation, else the requester of the first affected need.",
  })
  reportingProviderId?: string | null;
}

/**
 * The descriptive fields of ReportBlockerInput, optional, with the same validation (perceived and
 * confidential without their defaults, so leaving them out changes nothing); null clears a nullable one.
 */
@InputType()
export class UpdateBlockerInput extends PartialType(
  OmitType(ReportBlockerInput, [
    'affectedNeedIds',
    'reportingProviderId',
    'perceived',
    'confidential',
  ] as const),
) {
  @IdField()
  id: string;

  @VersionField()
  expectedVersion: number;

  @BoolField({ optional: true })
  perceived?: boolean | null;

  @BoolField({ optional: true })
  confidential?: boolean | null;
}

@InputType()
export class ResolutionInput {
  @EnumField(ResolutionKind)
  kind: ResolutionKind;

  @TextField({ min: 5, max: 5000, notBlank: true })
  summary: string;

  @TextField({ optional: true, max: 500 })
  reference?: string | null;
}

@InputType()
export class TransitionBlockerInput {
  @IdField()
  id: string;

  @VersionField()
  expectedVersion: number;

  @EnumField(BlockerStatus)
  to: BlockerStatus;

  @TextField({
    optional: true,
    max: 5000,
    description: 'Required for REJECTED, WITHDRAWN, ESCALATED and for reopening a closed blocker.',
  })
  reason?: string | null;

  @Field(() => ResolutionInput, { nullable: true, description: 'Required for RESOLVED.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResolutionInput)
  resolution?: ResolutionInput | null;

  @IdField({ optional: true, description: 'Required for DUPLICATE.' })
  duplicateOfId?: string | null;
}

@InputType()
export class BlockerNeedInput {
  @IdField()
  blockerId: string;

  @IdField()
  needId: string;

  @VersionField({ optional: true, description: 'When given, a stale version is refused with CONFLICT.' })
  expectedVersion?: number | null;
}

@InputType()
export class BlockerDependencyInput {
  @IdField()
  blockerId: string;

  @IdField()
  dependsOnId: string;
}

@InputType()
export class EndorseBlockerInput {
  @IdField()
  blockerId: string;

  @TextField({ optional: true, max: 2000 })
  note?: string | null;
}

@InputType()
export class AddCommentInput {
  @IdField()
  blockerId: string;

  @TextField({ min: 1, max: 20000, notBlank: true })
  body: string;
}

@InputType()
export class SteeringDecisionInput {
  @IdField()
  blockerId: string;

  @VersionField()
  expectedVersion: number;

  @EnumField(PriorityLevel)
  level: PriorityLevel;

  @IntField({
    optional: true,
    min: 1,
    max: 100000,
    description: 'Place on the agenda; others shift down to keep ranks unique. Null takes it off the agenda.',
  })
  rank?: number | null;

  @TextField({ min: 5, max: 5000, notBlank: true })
  rationale: string;
}
