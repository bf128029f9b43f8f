// /graphql: CORS, the JSON body, the API key and the rate limit, then Apollo. A plain node:http
// handler, as Apollo's own standalone server is, rather than express middleware: express's
// routing costs every request CPU that /graphql does not need.
// Why: docs/decisions/graphql-outside-express.md.
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import express from 'express';
import type { Logger } from 'pino';
import { decodeUtf8 } from '../domain/text';
import { createContext, type GraphQLContext } from '../graphql/context';
import { corsPolicy, localsOf, pathnameOf, sendError, sendRequestError, type Gate } from './pipeline';

export interface GraphQLHandlerOptions {
  logger?: Logger;
  corsOrigins: true | string[];
  maxBodyBytes: number;
}

type Step = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** A request whose JSON body held bytes that are not UTF-8: its raw bytes, read again below. */
type WithRawBody = IncomingMessage & { body?: unknown; notUtf8?: Buffer };

/**
 * A body with bytes that are not UTF-8 is read again, each such byte inside a string as a lone
 * surrogate (src/domain/text.ts, decodeUtf8): the field that holds it is then refused by name,
 * as a lone surrogate sent as "\udc80" is, instead of being stored with U+FFFD in its place.
 * False: answered here (such bytes outside any string: not JSON).
 */
function rereadNotUtf8(req: WithRawBody, res: ServerResponse): boolean {
  if (!req.notUtf8) return true;
  try {
    req.body = JSON.parse(decodeUtf8(req.notUtf8, 'json'));
    return true;
  } catch {
    sendError(res, 400, 'BAD_REQUEST', 'Malformed request body: bytes that are not UTF-8 outside a JSON string');
    return false;
  }
}

export function graphqlHandler(apollo: ApolloServer<GraphQLContext>, gate: Gate, opts: GraphQLHandlerOptions) {
  const corsStep = corsPolicy(opts.corsOrigins) as Step;
  const jsonStep = express.json({
    limit: opts.maxBodyBytes,
    verify: (req: WithRawBody, _res, buf) => {
      if (!isUtf8(buf)) req.notUtf8 = buf;
    },
  }) as Step;

  async function execute(req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void> {
    if (!(await gate.authenticate(req, res)) || !(await gate.rateLimit(req, res))) return;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: (req.url ?? '').slice(pathnameOf(req).length),
      body: req.body,
    };
    const locals = localsOf(res);
    const answer = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: async () => createContext(gate.readsFor(locals.caller), locals.caller, locals.request, gate.readAfterWrite),
    });
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === 'complete') {
      // As bytes: given a string, node:http measures it, joins it to the headers and encodes it
      // when writing, three passes over a report's megabyte and a half.
      res.end(Buffer.from(answer.body.string));
      return;
    }
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  }

  /** Answers the request; never throws (an unexpected failure is a 500 in GraphQL's shape). */
  return function graphql(req: IncomingMessage, res: ServerResponse): void {
    const fail = (err: unknown) => {
      opts.logger?.error({ err, reqId: localsOf(res).requestId }, 'unexpected error answering /graphql');
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      else res.destroy();
    };
    corsStep(req, res, (err) => {
      if (err) return fail(err);
      jsonStep(req, res, (err) => {
        if (err) return sendRequestError(res, err, opts.maxBodyBytes, opts.logger);
        if (rereadNotUtf8(req, res)) execute(req, res).catch(fail);
      });
    });
  };
}
