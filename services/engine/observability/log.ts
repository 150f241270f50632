import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs. Anything that could carry a secret is redacted by path, so a token,
 * a password or a key never reaches a log line even when a whole object is logged.
 */
export const REDACTED_PATHS = [
  'accessToken',
  'access_token',
  'password',
  'privateKey',
  'assertion',
  'token',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.accessToken',
  '*.password',
  '*.token',
  'org.auth.password',
  'org.auth.clientSecret',
  'http.token'
];

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      name: 'asl-engine',
      level: options.level ?? process.env.ASL_LOG_LEVEL ?? 'info',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'asl-engine' },
      timestamp: pino.stdTimeFunctions.isoTime
    },
    options.destination
  );
}

export type { Logger };
