import { NotBlank } from '@app/core/validation';
import { Field, ID, InputType, Int, OmitType, PartialType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DateScalar } from '@app/core/graphql';
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

@InputType()
export class BlockerFilter {
  @Field(() => [BlockerStatus], { nullable: true })
  @IsOptional()
  @IsEnum(BlockerStatus, { each: true })
  status?: BlockerStatus[] | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  open?: boolean | null;

  @Field(() => [BlockerLayer], { nullable: true })
  @IsOptional()
  @IsEnum(BlockerLayer, { each: true })
  layer?: BlockerLayer[] | null;

  @Field(() => [BlockerType], { nullable: true })
  @IsOptional()
  @IsEnum(BlockerType, { each: true })
  type?: BlockerType[] | null;

  @Field(() => [Severity], { nullable: true })
  @IsOptional()
  @IsEnum(Severity, { each: true })
  severity?: Severity[] | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Reporting, owning, endorsing or affected (as requester or supplier).',
  })
  @IsOptional()
  @IsString()
  providerId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsString()
  ownerId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsString()
  datasetId?: string | null;

  @Field(() => [PriorityLevel], { nullable: true })
  @IsOptional()
  @IsEnum(PriorityLevel, { each: true })
  level?: PriorityLevel[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Full-text search over key, title, description and legal reference, Dutch and English stemming.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  createdAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate()
  createdBefore?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Open and without a status change for at least this many days.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(36500)
  staleForDays?: number | null;
}

@InputType()
export class BlockerOrder {
  @Field(() => BlockerOrderField)
  @IsEnum(BlockerOrderField)
  field: BlockerOrderField;

  @Field(() => SortDirection)
  @IsEnum(SortDirection)
  direction: SortDirection;
}

@InputType()
export class ImpactInput {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FIGURE)
  peopleAffectedPerYear?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FIGURE)
  businessesAffectedPerYear?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FIGURE)
  manualHoursPerYear?: number | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_FIGURE)
  costPerYearEur?: number | null;
}

@InputType()
export class ReportBlockerInput {
  @Field()
  @IsString()
  @Length(5, 200)
  @NotBlank()
  title: string;

  @Field()
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  description: string;

  @Field(() => BlockerType)
  @IsEnum(BlockerType)
  type: BlockerType;

  @Field(() => Severity)
  @IsEnum(Severity)
  severity: Severity;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  @IsOptional()
  @IsBoolean()
  perceived?: boolean | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  legalReference?: string | null;

  @Field(() => [ID], { description: 'At least one.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ArrayUnique()
  @IsString({ each: true })
  affectedNeedIds: string[];

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsString()
  ownerId?: string | null;

  @Field(() => ImpactInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ImpactInput)
  impact?: ImpactInput | null;

  @Field(() => Effort, { nullable: true })
  @IsOptional()
  @IsEnum(Effort)
  effort?: Effort | null;

  @Field(() => DateScalar, { nullable: true })
  @IsOptional()
  @IsString()
  targetDate?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  @IsOptional()
  @IsBoolean()
  confidential?: boolean | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "The provider on whose behalf the blocker is reported. A steward always reports for their own provider; for others it defaults to the token's organisation, else the requester of the first affected need.",
  })
  @IsOptional()
  @IsString()
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
  @Field(() => ID)
  @IsString()
  id: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  perceived?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  @IsOptional()
  @IsBoolean()
  confidential?: boolean | null;
}

@InputType()
export class ResolutionInput {
  @Field(() => ResolutionKind)
  @IsEnum(ResolutionKind)
  kind: ResolutionKind;

  @Field()
  @IsString()
  @Length(5, 5000)
  @NotBlank()
  summary: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reference?: string | null;
}

@InputType()
export class TransitionBlockerInput {
  @Field(() => ID)
  @IsString()
  id: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => BlockerStatus)
  @IsEnum(BlockerStatus)
  to: BlockerStatus;

  @Field(() => String, {
    nullable: true,
    description: 'Required for REJECTED, WITHDRAWN, ESCALATED and for reopening a closed blocker.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  reason?: string | null;

  @Field(() => ResolutionInput, { nullable: true, description: 'Required for RESOLVED.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResolutionInput)
  resolution?: ResolutionInput | null;

  @Field(() => ID, { nullable: true, description: 'Required for DUPLICATE.' })
  @IsOptional()
  @IsString()
  duplicateOfId?: string | null;
}

@InputType()
export class BlockerNeedInput {
  @Field(() => ID)
  @IsString()
  blockerId: string;

  @Field(() => ID)
  @IsString()
  needId: string;

  @Field(() => Int, { nullable: true, description: 'When given, a stale version is refused with CONFLICT.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number | null;
}

@InputType()
export class BlockerDependencyInput {
  @Field(() => ID)
  @IsString()
  blockerId: string;

  @Field(() => ID)
  @IsString()
  dependsOnId: string;
}

@InputType()
export class EndorseBlockerInput {
  @Field(() => ID)
  @IsString()
  blockerId: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

@InputType()
export class AddCommentInput {
  @Field(() => ID)
  @IsString()
  blockerId: string;

  @Field()
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  body: string;
}

@InputType()
export class SteeringDecisionInput {
  @Field(() => ID)
  @IsString()
  blockerId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  expectedVersion: number;

  @Field(() => PriorityLevel)
  @IsEnum(PriorityLevel)
  level: PriorityLevel;

  @Field(() => Int, {
    nullable: true,
    description: 'Place on the agenda; others shift down to keep ranks unique. Null takes it off the agenda.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  rank?: number | null;

  @Field()
  @IsString()
  @Length(5, 5000)
  @NotBlank()
  rationale: string;
}
