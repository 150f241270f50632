/**
 * SOQL errors as Salesforce words them: the query line, a caret under the offending token,
 * "ERROR at Row:r:Column:c", then the reason (REST API Developer Guide: "Status Codes and
 * Error Responses"; messages as returned by the query resource).
 */
import { SalesforceError } from '../errors';

function locate(soql: string, token: string | undefined): { row: number; column: number; line: string } | undefined {
  if (token === undefined || token === '') return undefined;
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`(^|[^A-Za-z0-9_.])(${escaped})(?![A-Za-z0-9_])`, 'i').exec(soql);
  if (!match) return undefined;
  const index = match.index + (match[1]?.length ?? 0);
  const before = soql.slice(0, index).split('\n');
  const row = before.length;
  const column = (before[before.length - 1]?.length ?? 0) + 1;
  return { row, column, line: soql.split('\n')[row - 1] ?? soql };
}

export function soqlError(errorCode: string, soql: string, token: string | undefined, reason: string): SalesforceError {
  const at = locate(soql, token);
  const message = at === undefined ? reason : `\n${at.line}\n${' '.repeat(at.column - 1)}^\nERROR at Row:${at.row}:Column:${at.column}\n${reason}`;
  return new SalesforceError(errorCode, message, 400);
}

export const malformed = (soql: string, token: string | undefined, reason: string): SalesforceError =>
  soqlError('MALFORMED_QUERY', soql, token, reason);

export const invalidField = (soql: string, token: string, object: string): SalesforceError =>
  soqlError(
    'INVALID_FIELD',
    soql,
    token,
    `No such column '${token.split('.').pop()}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const invalidRelationship = (soql: string, token: string, relationship: string): SalesforceError =>
  soqlError(
    'INVALID_FIELD',
    soql,
    token,
    `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const invalidType = (soql: string, token: string): SalesforceError =>
  soqlError(
    'INVALID_TYPE',
    soql,
    token,
    `sObject type '${token}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );

export const filterError = (soql: string, token: string, reason: string): SalesforceError =>
  soqlError('INVALID_QUERY_FILTER_OPERATOR', soql, token, reason);
