import { applyDecorators } from '@nestjs/common';
import { Field, FieldOptions as GraphqlFieldOptions, ID, Int, ReturnTypeFunc } from '@nestjs/graphql';
import { IsBoolean, IsEnum, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { NotBlank } from '../validation';

/**
 * Input fields as GraphQL declares them and as class-validator checks them, in one decorator each, so
 * that a field's schema type and its validation cannot drift apart. `optional` makes the field
 * nullable in the schema and lets null or an absent value through validation.
 */
interface InputFieldOptions {
  optional?: boolean;
  description?: string;
}

function field(
  type: ReturnTypeFunc,
  options: InputFieldOptions & { defaultValue?: unknown },
): PropertyDecorator {
  const { optional = false, description, defaultValue } = options;
  const fieldOptions: GraphqlFieldOptions = {
    ...(optional ? { nullable: true } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(defaultValue !== undefined ? { defaultValue } : {}),
  };
  const typed = Field(type, fieldOptions);
  return optional ? applyDecorators(typed, IsOptional()) : typed;
}

/** An ID: a global ID or a key, as a string. */
export function IdField(options: InputFieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    field(() => ID, options),
    IsString(),
  );
}

/** One value of a registered GraphQL enum. */
export function EnumField(enumType: object, options: InputFieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    field(() => enumType, options),
    IsEnum(enumType),
  );
}

/** A filter on several values of an enum; always optional. */
export function EnumListField(
  enumType: object,
  options: Omit<InputFieldOptions, 'optional'> = {},
): PropertyDecorator {
  return applyDecorators(
    field(() => [enumType], { ...options, optional: true }),
    IsEnum(enumType, { each: true }),
  );
}

/**
 * A text of at most `max` characters; with `min`, of at least that many; with `notBlank`, holding more
 * than white space.
 */
export function TextField(
  options: InputFieldOptions & { max: number; min?: number; notBlank?: boolean },
): PropertyDecorator {
  const { max, min, notBlank = false } = options;
  return applyDecorators(
    field(() => String, options),
    IsString(),
    min === undefined ? MaxLength(max) : Length(min, max),
    ...(notBlank ? [NotBlank()] : []),
  );
}

/** A whole number within optional bounds. */
export function IntField(
  options: InputFieldOptions & { min?: number; max?: number; defaultValue?: number },
): PropertyDecorator {
  const { min, max } = options;
  return applyDecorators(
    field(() => Int, options),
    IsInt(),
    ...(min === undefined ? [] : [Min(min)]),
    ...(max === undefined ? [] : [Max(max)]),
  );
}

/** The version a client last read (optimistic concurrency): a whole number from 1. */
export function VersionField(options: InputFieldOptions = {}): PropertyDecorator {
  return IntField({ ...options, min: 1 });
}

export function BoolField(options: InputFieldOptions & { defaultValue?: boolean } = {}): PropertyDecorator {
  return applyDecorators(
    field(() => Boolean, options),
    IsBoolean(),
  );
}
