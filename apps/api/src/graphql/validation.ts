import { ArgumentMetadata, Injectable, PipeTransform, Type } from '@nestjs/common';
import { CUSTOM_ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { BadUserInputError, FieldError } from '@app/core';

function flatten(errors: ValidationError[], path: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = `${path}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

const PRIMITIVES: Array<Type<unknown>> = [String, Boolean, Number, Array, Object];

/**
 * Parameters of custom decorators (@CurrentActor, @Loaders) carry the server's own objects, not client
 * input: they must reach the resolver as they are (a copy of the request's LoaderRegistry would give
 * every field its own DataLoaders and undo all batching). Nest reports them as 'custom' over HTTP and
 * by their metadata key in GraphQL resolvers.
 */
function isCustomParameter(metadata: ArgumentMetadata): boolean {
  const type: string = metadata.type;
  return type === 'custom' || type === CUSTOM_ROUTE_ARGS_METADATA;
}

/** GqlParamtype.ROOT of @nestjs/graphql (not exported): the parameter type Nest gives `@Parent()`. */
const GRAPHQL_PARENT = 0;

/**
 * A field resolver's parent (`@Parent()`) is the server's own object, resolved a moment ago, not client
 * input. Validating it would copy and walk every node of an answer once per resolved field.
 */
function isParentParameter(metadata: ArgumentMetadata): boolean {
  return (metadata.type as unknown) === GRAPHQL_PARENT;
}

/** Paths of strings holding a NUL character, which PostgreSQL text cannot store. */
function nulFields(value: unknown, path: string): FieldError[] {
  if (typeof value === 'string')
    return value.includes('\u0000') ? [{ field: path, message: 'must not contain NUL characters' }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nulFields(item, `${path}.${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => nulFields(item, `${path}.${key}`));
  }
  return [];
}

/** class-validator on every input object; failures are BAD_USER_INPUT naming each field at fault. */
@Injectable()
export class InputValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (isCustomParameter(metadata) || isParentParameter(metadata)) return value;
    const nul = nulFields(value, metadata.data ?? 'input');
    if (nul.length > 0) throw new BadUserInputError(nul);
    const type = metadata.metatype;
    if (
      !type ||
      PRIMITIVES.includes(type) ||
      value === null ||
      value === undefined ||
      typeof value !== 'object'
    ) {
      return value;
    }
    const instance = plainToInstance(type, value) as object;
    const errors = await validate(instance, { forbidUnknownValues: false });
    if (errors.length > 0) throw new BadUserInputError(flatten(errors, metadata.data ?? 'input'));
    return instance;
  }
}
