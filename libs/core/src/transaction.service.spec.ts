import {
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  QueryRunnerProviderAlreadyReleasedError,
} from 'typeorm';
import { ConflictError, ServiceUnavailableError } from './errors';
import { translateDbError } from './transaction.service';

const driverError = (code: string, message = 'x', constraint?: string): Error =>
  Object.assign(new Error(message), { code, constraint });

describe('translateDbError', () => {
  it.each([
    [
      'terminated by the administrator (fast shutdown)',
      new QueryFailedError('SELECT 1', [], driverError('57P01')),
    ],
    ['the database system is shutting down', driverError('57P03')],
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    // The driver's own refusal, when a statement is sent on a client whose connection already broke.
    [
      'a client whose connection broke',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['a transaction whose connection broke', new QueryRunnerAlreadyReleasedError()],
    ['a manager whose connection broke', new QueryRunnerProviderAlreadyReleasedError()],
  ])('%s: SERVICE_UNAVAILABLE, retriable', (_case, error) => {
    const translated = translateDbError(error);
    expect(translated).toBeInstanceOf(ServiceUnavailableError);
    expect((translated as ServiceUnavailableError).extra).toEqual({ retriable: true });
  });

  it('names the field of a known unique constraint', () => {
    const error = new QueryFailedError('INSERT', [], driverError('23505', 'dup', 'uq_provider_oin'));
    const translated = translateDbError(error) as ConflictError;
    expect(translated).toBeInstanceOf(ConflictError);
    expect(translated.extra).toEqual({ fields: [{ field: 'input.oin', message: 'already taken' }] });
  });

  it('leaves any other error as it is', () => {
    const error = new QueryFailedError('SELECT', [], driverError('42P01', 'relation "x" does not exist'));
    expect(translateDbError(error)).toBe(error);
  });
});
