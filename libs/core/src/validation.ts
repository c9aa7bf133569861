import { Matches } from 'class-validator';

/** A text that holds more than white space (a title of five spaces is no title). */
export const NotBlank = (): PropertyDecorator => Matches(/\S/, { message: 'must not be blank' });
