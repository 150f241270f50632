/**
 * Salesforce-shaped errors.
 *
 * REST answers a failed request with a JSON array of `{ message, errorCode, fields? }`
 * (REST API Developer Guide: "Status Codes and Error Responses"). Per-record results inside
 * sObject collections and `Store` save results use `{ statusCode, message, fields }`
 * instead (REST API Developer Guide: "sObject Collections"). `SalesforceError` carries
 * one error plus the HTTP status it maps to; anything in the org may throw it and the
 * REST error handler turns it into the documented body.
 */

/** One error as REST returns it for a failed request. */
export interface RestErrorBody {
  message: string;
  errorCode: string;
  fields?: string[];
}

/** One error inside a per-record save result (collections, Store results, Bulk API). */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

export class SalesforceError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly status: number = 400,
    readonly fields?: string[],
  ) {
    super(message);
    this.name = 'SalesforceError';
  }

  toBody(): RestErrorBody {
    return this.fields === undefined
      ? { message: this.message, errorCode: this.errorCode }
      : { message: this.message, errorCode: this.errorCode, fields: this.fields };
  }

  toRecordError(): RecordError {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields ?? [] };
  }

  static fromRecordError(error: RecordError, status = 400): SalesforceError {
    return new SalesforceError(error.statusCode, error.message, status, error.fields);
  }
}

export function notFound(message = 'The requested resource does not exist'): SalesforceError {
  return new SalesforceError('NOT_FOUND', message, 404);
}
