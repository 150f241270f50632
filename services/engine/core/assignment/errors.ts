/**
 * An input the core cannot work with. It names the field, the value found and what would be
 * accepted, so the message alone tells an admin what to fix in the org or the config.
 */
export class CoreInputError extends Error {
  readonly field: string;
  readonly value: unknown;
  readonly expected: string;

  constructor(field: string, value: unknown, expected: string) {
    super(`${field}: got ${JSON.stringify(value)}; expected ${expected}`);
    this.name = 'CoreInputError';
    this.field = field;
    this.value = value;
    this.expected = expected;
  }
}
