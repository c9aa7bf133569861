import { createHash } from 'node:crypto';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { Logger } from '@nestjs/common';
import { FormattedExecutionResult, OperationTypeNode } from 'graphql';
import { Claim, IdempotencyStore, RequestScopes, StoredResponse } from '@app/core';
import { GqlContext } from '@app/core/graphql';

type Plugin = NonNullable<ApolloDriverConfig['plugins']>[number];

/** An Idempotency-Key: 1 to 255 visible ASCII characters (a UUID is typical). */
const KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

const logger = new Logger('Idempotency');

/** JSON with object keys sorted, so that the same variables in another order hash the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What makes two requests the same request: the operation text, its name and its variables. */
export function requestHash(
  source: string | undefined,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
): string {
  return createHash('sha256')
    .update(canonical([source ?? '', operationName ?? null, variables ?? {}]))
    .digest('hex');
}

type Listener = Exclude<Awaited<ReturnType<NonNullable<Plugin['requestDidStart']>>>, void>;
type ResponseForOperation = NonNullable<Listener['responseForOperation']>;
type RequestContext = Parameters<ResponseForOperation>[0];
type Answer = NonNullable<Awaited<ReturnType<ResponseForOperation>>>;

/**
 * An answer given instead of running the operation, on the request's own HTTP head (Apollo's
 * HeaderMap class exists once per module format; this is the one Apollo itself made).
 */
function answer(
  { response }: RequestContext,
  singleResult: FormattedExecutionResult,
  status?: number,
  headers: Array<[string, string]> = [],
): Answer {
  if (status !== undefined) response.http.status = status;
  for (const [name, value] of headers) response.http.headers.set(name, value);
  return { http: response.http, body: { kind: 'single', singleResult } };
}

/**
 * A refusal before the operation runs: errors and no `data` key, like a request that does not parse
 * (with `data`, @nestjs/apollo would reset the HTTP status to 200).
 */
function refusal(
  context: RequestContext,
  status: number,
  code: string,
  message: string,
  extensions: Record<string, unknown> = {},
  headers: Array<[string, string]> = [],
): Answer {
  return answer(context, { errors: [{ message, extensions: { code, ...extensions } }] }, status, headers);
}

const badKey = (context: RequestContext, message: string): Answer =>
  refusal(context, 400, 'BAD_USER_INPUT', message, { fields: [{ field: 'Idempotency-Key', message }] });

/**
 * Idempotent mutations: a mutation sent with an `Idempotency-Key` header runs once per user and key;
 * a retry with the same key and the same request gets the first response (with the header
 * `Idempotent-Replayed: true`) and writes nothing. The same key with another request is BAD_USER_INPUT
 * (HTTP 400); a duplicate that arrives while the first is still running waits for its response, and is
 * told CONFLICT "in progress" (HTTP 409, Retry-After) if that takes too long. A mutation that failed
 * without writing anything lets go of its key, so that the retry runs. Queries ignore the header.
 *
 * Exactly-once rests on the database: the key is claimed before the mutation runs, and every
 * transaction of the mutation first marks the claim executed (RequestScope.transactionGuard), so
 * writes and claim commit together and a claim that was taken over cannot write.
 */
export function idempotencyPlugin(store: IdempotencyStore): Plugin {
  return {
    async requestDidStart({ contextValue }) {
      // Without the header there is nothing to claim or store: no hooks for the request.
      if ((contextValue as GqlContext).idempotencyKey === undefined) return {};
      let claim: Claim | null = null;
      return {
        async responseForOperation(context) {
          const { operation, request, source } = context;
          const { idempotencyKey: key, actor } = context.contextValue as GqlContext;
          // Without an actor the mutation is refused anyway (UNAUTHENTICATED).
          if (operation?.operation !== OperationTypeNode.MUTATION || key === undefined || !actor) return null;
          if (!KEY_FORMAT.test(key)) {
            return badKey(context, 'The Idempotency-Key header must be 1 to 255 visible ASCII characters');
          }
          const hash = requestHash(source, request.operationName, request.variables);
          let outcome: Awaited<ReturnType<IdempotencyStore['claim']>>;
          try {
            outcome = await store.claim(actor.userId, key, hash);
          } catch (error) {
            logger.error(`cannot check the Idempotency-Key: ${(error as Error).message}`);
            return refusal(
              context,
              503,
              'SERVICE_UNAVAILABLE',
              'The Idempotency-Key cannot be checked; try again shortly',
              {
                retriable: true,
              },
            );
          }
          switch (outcome.kind) {
            case 'claimed': {
              claim = outcome.claim;
              const scope = RequestScopes.current();
              if (scope) scope.transactionGuard = store.guard(claim);
              return null;
            }
            case 'replay':
              return answer(context, outcome.response, undefined, [['idempotent-replayed', 'true']]);
            case 'mismatch':
              return badKey(
                context,
                'This Idempotency-Key was used for another request: use a new key for a new request',
              );
            case 'in-progress':
              return refusal(
                context,
                409,
                'CONFLICT',
                'A request with this Idempotency-Key is still in progress; retry it later',
                { retryAfterSeconds: 1 },
                [['retry-after', '1']],
              );
            case 'lost':
              return refusal(
                context,
                409,
                'CONFLICT',
                'The request with this Idempotency-Key was carried out, but its response was lost; ' +
                  'read the current state instead of retrying',
              );
          }
        },

        async willSendResponse({ response }) {
          if (!claim) return;
          const held = claim;
          claim = null;
          const scope = RequestScopes.current();
          if (scope) scope.transactionGuard = undefined;
          const result =
            response.body.kind === 'single' ? response.body.singleResult : response.body.initialResult;
          const data = result.data ?? null;
          const errors = result.errors;
          const stored: StoredResponse = errors?.length ? { data, errors } : { data };
          try {
            await store.finish(held, stored, !errors?.length && data !== null);
          } catch (error) {
            // The claim stays: a retry is told CONFLICT rather than run the mutation twice.
            logger.error(`cannot store the response for an Idempotency-Key: ${(error as Error).message}`);
          }
        },
      };
    },
  };
}
