import { IntrinsicException } from '@nestjs/common';

/**
 * Domain errors with stable codes. The GraphQL layer maps them to `extensions.code` in one place
 * (apps/api/src/graphql/format-error.ts); nothing else decides how an error looks to a client.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'INVALID_TRANSITION'
  | 'PREREQUISITE_OPEN'
  | 'DEPENDENCY_CYCLE'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'NOT_IMPLEMENTED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export interface FieldError {
  /** Path of the offending input field, e.g. `input.title`. */
  field: string;
  message: string;
}

/**
 * Intrinsic: Nest's exception handler does not log them as server errors with a stack trace; they are
 * answers to the client (each request's log line has its outcome), and an unexpected error is logged
 * where it is masked (format-error.ts).
 */
export class DomainError extends IntrinsicException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadUserInputError extends DomainError {
  constructor(
    readonly fields: FieldError[],
    message = fields.map((f) => `${f.field}: ${f.message}`).join('; '),
  ) {
    super('BAD_USER_INPUT', message, { fields });
  }

  static field(field: string, message: string): BadUserInputError {
    return new BadUserInputError([{ field, message }]);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid bearer token is required') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You may not do this') {
    super('FORBIDDEN', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: string, id: string) {
    super('NOT_FOUND', `${entity} ${id} does not exist`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super('CONFLICT', message, extra);
  }
}

export class InvalidTransitionError extends DomainError {
  constructor(from: string, to: string) {
    super('INVALID_TRANSITION', `A blocker cannot move from ${from} to ${to}`, { from, to });
  }
}

export class PrerequisiteOpenError extends DomainError {
  /** `keys`: the open prerequisites the viewer may see; `hidden`: how many others (confidential) there are. */
  constructor(keys: string[], hidden = 0) {
    const named = hidden > 0 ? [...keys, `${hidden} you cannot see`] : keys;
    super('PREREQUISITE_OPEN', `Resolve the prerequisites first: ${named.join(', ')}`, {
      prerequisites: keys,
    });
  }
}

export class DependencyCycleError extends DomainError {
  constructor(path: string[]) {
    super('DEPENDENCY_CYCLE', `This dependency would close a cycle: ${path.join(' -> ')}`, { cycle: path });
  }
}

export class NotImplementedError extends DomainError {
  constructor(what: string) {
    super('NOT_IMPLEMENTED', `${what} is not available yet`);
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(message = 'The database is not reachable; try again shortly') {
    super('SERVICE_UNAVAILABLE', message, { retriable: true });
  }
}
