/**
 * Middleware every REST resource of the local org passes through (see context.ts for the
 * order): JSON bodies, API version check, session check, daily API counting, and the
 * error handler that answers Salesforce's error shape.
 */
import { randomBytes } from 'node:crypto';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { SalesforceError } from '../errors';
import type { ApiUsage } from './apiUsage';
import { bearerToken } from './faults';
import type { SessionStore } from '../auth/sessions';

/** The oldest version listed by /services/data; newer ones up to options.apiVersion. */
export const OLDEST_API_VERSION = 31;

export function supportedVersions(newest: string): string[] {
  const top = Number.parseInt(newest, 10);
  const versions: string[] = [];
  for (let v = OLDEST_API_VERSION; v <= top; v += 1) versions.push(`${v}.0`);
  return versions;
}

/**
 * Parses JSON bodies; a malformed one is answered like Salesforce's deserializer
 * (400 JSON_PARSER_ERROR). Other content types (CSV for Bulk API) pass through untouched.
 */
export function jsonBody(): RequestHandler[] {
  return [
    express.text({ type: ['application/json', 'application/*+json'], limit: '100mb' }),
    (req: Request, _res: Response, next: NextFunction) => {
      if (typeof req.body !== 'string' || !/json/i.test(req.get('content-type') ?? '')) return next();
      const text = req.body;
      if (text.trim() === '') {
        req.body = undefined;
        return next();
      }
      try {
        req.body = JSON.parse(text);
        next();
      } catch (error) {
        next(new SalesforceError('JSON_PARSER_ERROR', jsonErrorMessage(text, error as Error), 400));
      }
    },
  ];
}

function jsonErrorMessage(text: string, error: Error): string {
  const position = /position (\d+)/.exec(error.message);
  const offset = position === null ? text.length : Number(position[1]);
  const before = text.slice(0, offset).split('\n');
  const char = text[offset];
  const line = before.length;
  const column = (before[before.length - 1]?.length ?? 0) + 1;
  const found = char === undefined ? 'end-of-input' : `character ('${char}' (code ${char.charCodeAt(0)}))`;
  return `Unexpected ${found}: was expecting a valid JSON value at [line:${line}, column:${column}]`;
}

export function versionCheck(newest: string): RequestHandler {
  const versions = new Set(supportedVersions(newest));
  return (req, _res, next) => {
    const version = /^\/services\/data\/v(\d+\.\d)(?:\/|$)/.exec(req.path)?.[1];
    if (version === undefined || !versions.has(version)) {
      next(new SalesforceError('NOT_FOUND', 'The requested resource does not exist', 404));
      return;
    }
    res_locals(_res).apiVersion = version;
    next();
  };
}

function res_locals(res: Response): Record<string, unknown> {
  return res.locals as Record<string, unknown>;
}

/** 401 INVALID_SESSION_ID unless the bearer token is a live session (REST API: "Status Codes and Error Responses"). */
export function requireSession(sessions: SessionStore): RequestHandler {
  return (req, res, next) => {
    const token = bearerToken(req);
    const session = token === undefined ? undefined : sessions.find(token);
    if (session === undefined) {
      res.set('WWW-Authenticate', 'Token');
      next(new SalesforceError('INVALID_SESSION_ID', 'Session expired or invalid', 401));
      return;
    }
    res.locals.session = session;
    next();
  };
}

/** Counts the call and sets Sforce-Limit-Info; 403 REQUEST_LIMIT_EXCEEDED past the allowance. */
export function countApiCall(usage: ApiUsage): RequestHandler {
  return (_req, res, next) => {
    const allowed = usage.tryConsume();
    res.set('Sforce-Limit-Info', usage.header());
    if (!allowed) {
      next(new SalesforceError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', 403));
      return;
    }
    next();
  };
}

/** Answers errors as `[{ message, errorCode, fields? }]`; unexpected ones as UNKNOWN_EXCEPTION with an ErrorId. */
export function errorHandler(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof SalesforceError) {
      res.status(error.status).json([error.toBody()]);
      return;
    }
    const status = (error as { status?: number; type?: string }).status;
    if (status === 413) {
      res.status(413).json([{ message: 'Request entity too large', errorCode: 'REQUEST_ENTITY_TOO_LARGE' }]);
      return;
    }
    const errorId = `${randomBytes(4).readUInt32BE()}-${randomBytes(2).readUInt16BE()}`;
    log(`unexpected error ${errorId}`, error);
    res.status(500).json([
      { message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`, errorCode: 'UNKNOWN_EXCEPTION' },
    ]);
  };
}

/** `/services/data/v62.0` for a request under a versioned path (attributes.url, nextRecordsUrl). */
export function versionBase(res: Response): string {
  return `/services/data/v${String((res.locals as { apiVersion?: string }).apiVersion ?? '62.0')}`;
}
