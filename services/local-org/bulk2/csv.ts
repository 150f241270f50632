/**
 * CSV as Bulk API 2.0 reads and writes it (Bulk API 2.0 Developer Guide: "Prepare CSV
 * Files", "Valid CSV Record Rows"): UTF-8, a header row of field names, the job's column
 * delimiter (BACKQUOTE, CARET, COMMA, PIPE, SEMICOLON, TAB) and line ending (LF, CRLF),
 * double quotes around values holding the delimiter, a quote or a line break, and a quote
 * inside a quoted value doubled.
 */
export const COLUMN_DELIMITERS = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
} as const;

export type ColumnDelimiter = keyof typeof COLUMN_DELIMITERS;
export type LineEnding = 'LF' | 'CRLF';

export interface CsvDialect {
  delimiter: string;
  eol: string;
}

export function dialectOf(columnDelimiter: ColumnDelimiter, lineEnding: LineEnding): CsvDialect {
  return { delimiter: COLUMN_DELIMITERS[columnDelimiter], eol: lineEnding === 'CRLF' ? '\r\n' : '\n' };
}

/** One value, always quoted (Salesforce quotes every value it writes). */
export function quoted(value: string): string {
  return `"${value.includes('"') ? value.replace(/"/g, '""') : value}"`;
}

/** One CSV line including its line ending. */
export function csvLine(values: readonly string[], dialect: CsvDialect): string {
  let line = '';
  for (let i = 0; i < values.length; i += 1) {
    if (i > 0) line += dialect.delimiter;
    line += quoted(values[i] ?? '');
  }
  return line + dialect.eol;
}

/**
 * Whether the upload's line endings disagree with the job's (the job then fails with
 * "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is
 * LF"). Judged on the header row, which never holds a quoted line break.
 */
export function lineEndingMismatch(firstBytes: string, lineEnding: LineEnding): boolean {
  const newline = firstBytes.indexOf('\n');
  if (newline < 0) return false;
  const crlf = newline > 0 && firstBytes[newline - 1] === '\r';
  return lineEnding === 'LF' ? crlf : !crlf;
}
