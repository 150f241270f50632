/**
 * Typed errors of the engine. Each one carries what a user needs to fix the problem: the
 * field or setting, the value seen, and what was expected.
 */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly details: Record<string, unknown> = {}
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A setting is missing or malformed: names the setting and how to fix it. */
export class ConfigError extends EngineError {
  constructor(
    readonly setting: string,
    readonly problem: string,
    readonly fix: string
  ) {
    super(`config ${setting}: ${problem}. Fix: ${fix}`, 'CONFIG_INVALID', { setting, problem, fix });
  }
}

/** The org answered with an error (Salesforce errorCode and message). */
export class OrgError extends EngineError {
  constructor(
    message: string,
    readonly errorCode: string,
    readonly status?: number,
    readonly fields: string[] = []
  ) {
    super(message, errorCode, { status, fields });
  }
}

/** Authentication against the org failed and re-authenticating did not help. */
export class AuthError extends EngineError {
  constructor(message: string, readonly reason: string) {
    super(message, 'AUTH_FAILED', { reason });
  }
}

/** Records that still failed after the retry policy gave up, with their per-record errors. */
export class WriteError extends EngineError {
  constructor(
    message: string,
    readonly failures: ReadonlyArray<{ key: string; errorCode: string; message: string }>
  ) {
    super(message, 'WRITE_FAILED', { failures: failures.slice(0, 20) });
  }
}

/** The org refused a streaming subscription (an object not selected for Change Data Capture, a missing channel). */
export class SubscriptionRefusedError extends EngineError {
  constructor(
    readonly channel: string,
    readonly reason: string
  ) {
    super(`subscribing to ${channel} was refused: ${reason}`, 'SUBSCRIPTION_REFUSED', { channel, reason });
  }
}
