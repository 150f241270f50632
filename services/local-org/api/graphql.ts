/**
 * UI API GraphQL: POST /services/data/vXX.X/graphql with `{ query, variables?,
 * operationName? }` (GraphQL API Developer Guide: "GraphQL API Endpoint", available from
 * API 56.0). The answer is always HTTP 200 with `{ data, errors }`, `errors` empty when the
 * query ran cleanly; syntax and validation problems come back in GraphQL's error format
 * with `extensions.classification` (InvalidSyntax, ValidationError, DataFetchingException).
 *
 * The schema is generated from the org's objects (graphql/schema.ts) and every connection
 * is answered by the org's SOQL engine, so GraphQL and REST always agree.
 */
import { Router, type Request, type Response } from 'express';
import { graphql, GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { z } from 'zod';
import { sessionOf, type LocalOrgContext } from '../context';
import { SalesforceError } from '../errors';
import { buildUiApiSchema, type GraphqlContext } from '../graphql/schema';

const GRAPHQL_SINCE = 56;

const requestSchema = z.object({
  query: z.string().min(1, 'query is the GraphQL document to run'),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

export function mountGraphql(ctx: LocalOrgContext): Router {
  const schema = buildUiApiSchema(ctx.schema);
  const router = Router();
  router.post('/services/data/:version/graphql', async (req: Request, res: Response) => {
    const version = /^v(\d+\.\d)$/.exec(String(req.params.version))?.[1];
    if (version === undefined || Number(version) < GRAPHQL_SINCE) throw new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404);
    const parsed = requestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SalesforceError('JSON_PARSER_ERROR', `${issue?.path.join('.') || 'request body'}: ${issue?.message ?? 'invalid'}`, 400);
    }
    const { userId } = sessionOf(res);
    const rawVariables = parsed.data.variables ?? {};
    const contextValue: GraphqlContext = {
      runQuery: (soql) => ctx.store.stream(soql, { userId }),
      rawVariables,
      timeZone: ctx.store.userTimeZone(userId),
    };
    const result = await graphql({
      schema,
      source: parsed.data.query,
      variableValues: rawVariables,
      operationName: parsed.data.operationName ?? null,
      contextValue,
    });
    res.json(formatResult(result));
  });
  return router;
}

function formatResult(result: ExecutionResult): { data: unknown; errors: GraphQLFormattedError[] } {
  return { data: result.data ?? null, errors: (result.errors ?? []).map(formatError) };
}

/** graphql-js errors with the classification Salesforce's (graphql-java) answers carry. */
function formatError(error: GraphQLError): GraphQLFormattedError {
  const formatted = error.toJSON();
  const classification =
    (formatted.extensions?.classification as string | undefined) ??
    (error.message.startsWith('Syntax Error') ? 'InvalidSyntax' : error.path === undefined ? 'ValidationError' : 'DataFetchingException');
  return { ...formatted, extensions: { ...formatted.extensions, classification } };
}
