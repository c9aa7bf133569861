import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { BaseContext, HeaderMap } from '@apollo/server';
import { INestApplication, Logger } from '@nestjs/common';
import { ApolloDriver } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { AppConfig } from '@app/config';
import proxyAddr from 'proxy-addr';
import { RequestScope, RequestScopes } from '@app/core';
import { ROOT_LOGGER } from '../observability/observability.tokens';
import type { RootLogger } from '../observability/logger';
import { RequestLogMiddleware } from '../observability/request-log.middleware';
import { httpErrorBody } from './http-error.filter';
import { requestIdOf } from './request-scope.middleware';
import { batchRefusal } from './request-shape.middleware';

/** The Apollo server as @nestjs/apollo loads it (its ES module build, whose types are its own). */
type Apollo = ApolloDriver['instance'];
type HTTPGraphQLRequest = Parameters<Apollo['executeHTTPGraphQLRequest']>[0]['httpGraphQLRequest'];

/** A JSON body in UTF-8 (JSON's only encoding), as clients send GraphQL requests. */
const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

export interface GraphQLEndpointOptions {
  apollo: Apollo;
  /** The GraphQL module's context function, as its Express middleware calls it. */
  context: (args: { req: IncomingMessage; res: ServerResponse }) => Promise<BaseContext>;
  path: string;
  /** HTTP_BODY_LIMIT in bytes. */
  bodyLimit: number;
  batching: boolean;
  /** Which proxies may name the client (Express's compiled `trust proxy`). */
  trustProxy: (address: string, hop: number) => boolean;
  log: RequestLogMiddleware;
}

/**
 * The GraphQL endpoint's POSTs of a JSON body, the requests of every client, served on Node's HTTP
 * server directly instead of through Express and Nest's middleware: the same steps in the same form
 * (request id and scope, request log, body limit, JSON, batching refusal, client address, Apollo),
 * at about two thirds of the CPU per request (ADR 15). Every other request, GET /graphql and a body
 * in another encoding among them, goes to Express as before.
 */
export class GraphQLEndpoint {
  private readonly logger = new Logger('GraphQL');

  constructor(private readonly options: GraphQLEndpointOptions) {}

  /** A POST of a plain JSON body to the endpoint's path. */
  serves(req: IncomingMessage): boolean {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    const path = this.options.path;
    if (url !== path && !url.startsWith(`${path}?`)) return false;
    // A compressed body is inflated by Express's parser.
    if (req.headers['content-encoding'] !== undefined) return false;
    const type = req.headers['content-type'];
    return type !== undefined && JSON_TYPE.test(type);
  }

  /** Stand in for `express` on the HTTP server: the endpoint's own requests here, all others to it. */
  takeOver(server: Server, express: RequestListener): void {
    const listeners = server.listeners('request');
    const at = listeners.indexOf(express);
    if (at < 0) throw new Error('Express does not serve this HTTP server');
    const dispatch: RequestListener = (req, res) =>
      this.serves(req) ? this.handle(req, res) : express(req, res);
    server.removeAllListeners('request');
    listeners.forEach((listener, i) =>
      server.on('request', i === at ? dispatch : (listener as RequestListener)),
    );
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const scope: RequestScope = { requestId: requestIdOf(req.headers['x-request-id']), sqlStatements: 0 };
    res.setHeader('x-request-id', scope.requestId);
    this.options.log.track(req, res, this.options.path, scope);
    readBody(req, this.options.bodyLimit).then(
      (text) => {
        if (text === null) {
          // The rest of an oversized body is not read: the connection closes after the answer.
          res.setHeader('connection', 'close');
          send(res, 413, httpErrorBody(413, ''));
          return;
        }
        // The answer runs in the request's scope, as every request through Express does.
        RequestScopes.run(scope, () => void this.answer(req, res, text));
      },
      () => res.destroy(), // the client went away mid-body: nobody to answer
    );
  }

  private async answer(req: IncomingMessage, res: ServerResponse, text: string): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      send(res, 400, httpErrorBody(400, (error as Error).message));
      return;
    }
    if (body === null || typeof body !== 'object') {
      send(res, 400, httpErrorBody(400, 'The request body must be a JSON object'));
      return;
    }
    if (!this.options.batching && Array.isArray(body)) {
      send(res, 400, batchRefusal(body.length));
      return;
    }
    // What Express gives its requests and the context function reads: the body and client address.
    const request = req as IncomingMessage & { body?: unknown; ip?: string };
    request.body = body;
    request.ip = proxyAddr(req, this.options.trustProxy);
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: 'POST',
      // The CommonJS build's HeaderMap: the same Map of lower-case names, which Apollo only reads.
      headers: headers as unknown as HTTPGraphQLRequest['headers'],
      search: url.includes('?') ? url.slice(url.indexOf('?')) : '',
      body,
    };
    try {
      const response = await this.options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: () => this.options.context({ req, res }),
      });
      for (const [name, value] of response.headers) res.setHeader(name, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.setHeader('content-length', Buffer.byteLength(response.body.string));
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      this.logger.error(`request failed outside GraphQL execution: ${(error as Error).message}`);
      if (res.headersSent) res.destroy();
      else
        send(res, 500, {
          errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        });
    }
  }
}

/** The body as text; null once it is over `limit` bytes (by its Content-Length or as it arrives). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  if (Number(req.headers['content-length']) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      req.removeListener('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        done();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const onClose = (): void => {
      done();
      reject(new Error('the request was aborted'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function send(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * Serve the GraphQL endpoint's POSTs of an initialised application on its HTTP server, with its Apollo
 * server, context function and settings; everything else stays with Express.
 */
export function serveGraphQLPosts(app: INestApplication, config: AppConfig): void {
  const graphql = app.get<GraphQLModule<ApolloDriver>>(GraphQLModule);
  const options = graphql.completeOptions;
  if (!options?.path || typeof options.context !== 'function') {
    throw new Error('the GraphQL module has no path or context function');
  }
  const express = app.getHttpAdapter().getInstance() as RequestListener & { get(setting: string): unknown };
  const endpoint = new GraphQLEndpoint({
    apollo: graphql.graphQlAdapter.instance,
    context: options.context as GraphQLEndpointOptions['context'],
    path: options.path,
    bodyLimit: config.httpBodyLimit,
    batching: config.graphqlBatching,
    trustProxy: express.get('trust proxy fn') as GraphQLEndpointOptions['trustProxy'],
    log: new RequestLogMiddleware(app.get<RootLogger>(ROOT_LOGGER)),
  });
  endpoint.takeOver(app.getHttpServer() as Server, express);
}
