import { ArgumentMetadata } from '@nestjs/common';
import { IsInt, Min } from 'class-validator';
import { BadUserInputError } from '@app/core';
import { InputValidationPipe } from './validation';

class PageInput {
  @IsInt()
  @Min(1)
  first: number;
}

class SomeNode {
  title: string;
  nested: { text: string };
}

/** Nest's parameter types in GraphQL resolvers: GqlParamtype.ROOT is 0 (@Parent), ARGS is 3 (@Args). */
const parent = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata =>
  ({ type: 0, metatype, data: undefined }) as unknown as ArgumentMetadata;
const args = (metatype: ArgumentMetadata['metatype'], data: string): ArgumentMetadata =>
  ({ type: 3, metatype, data }) as unknown as ArgumentMetadata;

describe('InputValidationPipe', () => {
  const pipe = new InputValidationPipe();

  it('passes a resolved parent through as it is: the server’s own object, not client input', async () => {
    const node = Object.assign(new SomeNode(), { title: 'KNP-1', nested: { text: 'x' } });
    await expect(pipe.transform(node, parent(SomeNode))).resolves.toBe(node);
  });

  it('still validates arguments', async () => {
    await expect(pipe.transform({ first: 0 }, args(PageInput, 'input'))).rejects.toBeInstanceOf(
      BadUserInputError,
    );
    const ok = await pipe.transform({ first: 5 }, args(PageInput, 'input'));
    expect(ok).toBeInstanceOf(PageInput);
  });

  it('still refuses NUL characters in arguments', async () => {
    await expect(pipe.transform({ title: 'a\u0000b' }, args(SomeNode, 'input'))).rejects.toBeInstanceOf(
      BadUserInputError,
    );
  });
});
