import { z } from 'zod';
import { isIsoDate } from './dates';
import {
  ForecastInputError,
  IsoDateSchema,
  type OpportunityHistory,
  type OpportunityHistoryRow
} from './types';

/**
 * Turns any opportunity export (one row per opportunity, columns named anything) into the
 * forecast's history rows. RevOps writes a mapping once: which column is which, which stage
 * values mean won or lost, the date format, and optional lookups that add a column from
 * another file (rep -> team, account -> segment) and a price list for products.
 */
const column = z.string().min(1);

export const LookupSchema = z.object({
  /** File name, relative to the mapping file (or the data set directory for a preset). */
  file: z.string().min(1),
  /** Column of the lookup file holding the key. */
  key: column,
  /** Which mapped field supplies the key: rep, account or product. */
  on: z.enum(['rep', 'account', 'product']),
  /** Mapped field -> column of the lookup file. */
  set: z.object({
    team: column.optional(),
    segment: column.optional(),
    source: column.optional(),
    product: column.optional()
  })
});

export const CsvMappingSchema = z.object({
  columns: z.object({
    id: column,
    rep: column,
    stage: column,
    createdDate: column,
    closeDate: column.optional(),
    amount: column.optional(),
    team: column.optional(),
    product: column.optional(),
    source: column.optional(),
    segment: column.optional(),
    account: column.optional(),
    /** Boolean columns as Salesforce exports them; without them, stages decide. */
    isClosed: column.optional(),
    isWon: column.optional()
  }),
  wonStages: z.array(z.string()).default(['Closed Won', 'Won']),
  lostStages: z.array(z.string()).default(['Closed Lost', 'Lost']),
  dateFormat: z.enum(['YYYY-MM-DD', 'MM/DD/YYYY', 'DD/MM/YYYY']).default('YYYY-MM-DD'),
  /** Product names to rewrite before anything else (spelling differences between files). */
  productAliases: z.record(z.string(), z.string()).default({}),
  lookups: z.array(LookupSchema).default([]),
  listPrices: z.object({ file: z.string().min(1), product: column, price: column }).optional(),
  snapshotDate: IsoDateSchema.optional()
});

export type CsvMapping = z.output<typeof CsvMappingSchema>;
export type CsvMappingInput = z.input<typeof CsvMappingSchema>;
export type CsvRecord = Record<string, string | undefined>;

/**
 * maven-crm (Maven Analytics "CRM + Sales + Opportunities"): engage_date is when a deal
 * enters the pipeline, so Prospecting rows (no engage date) are not in it yet. Team is the
 * agent's manager, segment the account's sector. products.csv spells "GTX Pro" where
 * sales_pipeline.csv spells "GTXPro"; the alias makes the two agree. Its prices are the value
 * of last resort for an open deal of a product with no won deal before the as-of date.
 */
export const MAVEN_CRM_PRESET: CsvMappingInput = {
  columns: {
    id: 'opportunity_id',
    rep: 'sales_agent',
    stage: 'deal_stage',
    createdDate: 'engage_date',
    closeDate: 'close_date',
    amount: 'close_value',
    product: 'product',
    account: 'account'
  },
  wonStages: ['Won'],
  lostStages: ['Lost'],
  productAliases: { GTXPro: 'GTX Pro' },
  lookups: [
    { file: 'sales_teams.csv', key: 'sales_agent', on: 'rep', set: { team: 'manager' } },
    { file: 'accounts.csv', key: 'account', on: 'account', set: { segment: 'sector' } }
  ],
  listPrices: { file: 'products.csv', product: 'product', price: 'sales_price' }
};

export const PRESETS: Record<string, { mapping: CsvMappingInput; file: string }> = {
  'maven-crm': { mapping: MAVEN_CRM_PRESET, file: 'sales_pipeline.csv' }
};

export interface RowProblem {
  row: number;
  field: string;
  value: string;
  problem: string;
}

export interface MappedHistory {
  history: OpportunityHistory;
  /** Rows left out on purpose (not yet in the pipeline), with why. */
  skipped: { reason: string; count: number }[];
  /** Rows that could not be read; empty unless skipInvalid was asked for. */
  invalid: RowProblem[];
}

function toIsoDate(value: string, format: CsvMapping['dateFormat']): string | null {
  const text = value.trim();
  if (text === '') return null;
  if (format === 'YYYY-MM-DD') {
    const iso = text.slice(0, 10);
    return isIsoDate(iso) ? iso : null;
  }
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(text);
  if (!match) return null;
  const [a, b, year] = [match[1] as string, match[2] as string, match[3] as string];
  const [month, day] = format === 'MM/DD/YYYY' ? [a, b] : [b, a];
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

function toAmount(value: string | undefined): number | null | 'invalid' {
  const text = (value ?? '').replace(/[\s,$€£]/g, '');
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : 'invalid';
}

function toBoolean(value: string | undefined): boolean | null {
  const text = (value ?? '').trim().toLowerCase();
  if (['true', '1', 'yes', 'y'].includes(text)) return true;
  if (['false', '0', 'no', 'n', ''].includes(text)) return false;
  return null;
}

function requireColumns(records: readonly CsvRecord[], columns: string[], file: string): void {
  const first = records[0];
  if (!first) return;
  for (const name of columns) {
    if (!(name in first)) {
      throw new ForecastInputError(
        `column "${name}"`,
        Object.keys(first).join(', '),
        `is not in ${file}: fix the mapping (its columns are listed)`
      );
    }
  }
}

export function mapOpportunityRecords(
  records: readonly CsvRecord[],
  mappingInput: CsvMappingInput,
  files: Record<string, readonly CsvRecord[]> = {},
  options: { skipInvalid?: boolean } = {}
): MappedHistory {
  const mapping = CsvMappingSchema.parse(mappingInput);
  const cols = mapping.columns;
  requireColumns(
    records,
    Object.values(cols).filter((c): c is string => Boolean(c)),
    'the opportunity file'
  );
  const alias = (product: string): string => mapping.productAliases[product] ?? product;
  const lookups = mapping.lookups.map((lookup) => {
    const table = files[lookup.file];
    if (!table)
      throw new ForecastInputError(
        'lookups.file',
        lookup.file,
        'was not found next to the mapping: add the file or remove the lookup'
      );
    requireColumns(
      table,
      [lookup.key, ...Object.values(lookup.set).filter((c): c is string => Boolean(c))],
      lookup.file
    );
    const byKey = new Map(table.map((row) => [(row[lookup.key] ?? '').trim(), row]));
    return { lookup, byKey };
  });
  const won = new Set(mapping.wonStages);
  const lost = new Set(mapping.lostStages);
  const opportunities: OpportunityHistoryRow[] = [];
  const invalid: RowProblem[] = [];
  let notStarted = 0;
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const row = index + 2; // header is line 1
    const get = (name: string | undefined): string => (name ? (record[name] ?? '').trim() : '');
    const problems: RowProblem[] = [];
    const problem = (field: string, value: string, text: string): void => {
      problems.push({ row, field, value, problem: text });
    };
    const id = get(cols.id);
    const stage = get(cols.stage);
    const createdRaw = get(cols.createdDate);
    const createdDate = toIsoDate(createdRaw, mapping.dateFormat);
    if (createdRaw === '') {
      notStarted += 1;
      return;
    }
    if (!createdDate)
      problem(cols.createdDate, createdRaw, `expected a date as ${mapping.dateFormat}`);
    if (!id) problem(cols.id, id, 'every opportunity needs an id');
    else if (seen.has(id)) problem(cols.id, id, 'duplicate id: each opportunity must appear once');
    seen.add(id);
    const closeRaw = get(cols.closeDate);
    const closeDate = closeRaw === '' ? null : toIsoDate(closeRaw, mapping.dateFormat);
    if (closeRaw !== '' && !closeDate)
      problem(cols.closeDate ?? 'closeDate', closeRaw, `expected a date as ${mapping.dateFormat}`);
    const amount = toAmount(get(cols.amount));
    if (amount === 'invalid')
      problem(cols.amount ?? 'amount', get(cols.amount), 'expected a non-negative number');
    let isClosed = won.has(stage) || lost.has(stage);
    let isWon = won.has(stage);
    if (cols.isClosed) isClosed = toBoolean(get(cols.isClosed)) ?? isClosed;
    if (cols.isWon) isWon = toBoolean(get(cols.isWon)) ?? isWon;
    if (isClosed && !closeDate)
      problem(cols.closeDate ?? 'closeDate', closeRaw, 'a closed opportunity needs a close date');
    if (isClosed && closeDate && createdDate && closeDate < createdDate)
      problem(cols.closeDate ?? 'closeDate', closeRaw, `is before the created date ${createdDate}`);
    const mapped: OpportunityHistoryRow = {
      id,
      rep: get(cols.rep) || '(none)',
      team: get(cols.team) || null,
      product: get(cols.product) ? alias(get(cols.product)) : null,
      source: get(cols.source) || null,
      segment: get(cols.segment) || null,
      account: get(cols.account) || null,
      stage,
      amount: amount === 'invalid' ? null : amount,
      createdDate: createdDate ?? '',
      closeDate,
      isClosed,
      isWon: isClosed && isWon
    };
    for (const { lookup, byKey } of lookups) {
      const key =
        lookup.on === 'rep'
          ? mapped.rep
          : lookup.on === 'account'
            ? mapped.account
            : mapped.product;
      const hit = key ? byKey.get(key) : undefined;
      if (!hit) continue;
      for (const [field, name] of Object.entries(lookup.set)) {
        if (!name) continue;
        const value = (hit[name] ?? '').trim();
        if (value)
          mapped[field as 'team' | 'segment' | 'source' | 'product'] =
            field === 'product' ? alias(value) : value;
      }
    }
    if (problems.length > 0) {
      invalid.push(...problems);
      return;
    }
    opportunities.push(mapped);
  });
  if (invalid.length > 0 && !options.skipInvalid) {
    const first = invalid[0] as RowProblem;
    throw new ForecastInputError(
      `row ${first.row} column "${first.field}"`,
      first.value,
      `${first.problem} (${invalid.length} problem(s) in all; fix the file or the mapping, or pass --skip-invalid to leave those rows out)`
    );
  }
  const listPrices: Record<string, number> = {};
  if (mapping.listPrices) {
    const { file, product, price } = mapping.listPrices;
    const table = files[file];
    if (!table)
      throw new ForecastInputError(
        'listPrices.file',
        file,
        'was not found next to the mapping: add the file or remove listPrices'
      );
    requireColumns(table, [product, price], file);
    for (const row of table) {
      const value = toAmount(row[price]);
      const name = (row[product] ?? '').trim();
      if (name && typeof value === 'number') listPrices[alias(name)] = value;
    }
  }
  return {
    history: {
      opportunities,
      ...(mapping.snapshotDate ? { snapshotDate: mapping.snapshotDate } : {}),
      ...(Object.keys(listPrices).length > 0 ? { listPrices } : {})
    },
    skipped:
      notStarted > 0
        ? [{ reason: `no ${cols.createdDate}: not yet in the pipeline`, count: notStarted }]
        : [],
    invalid
  };
}

/** Files a mapping needs besides the opportunity file (for the CLI to read). */
export function mappingFiles(mappingInput: CsvMappingInput): string[] {
  const mapping = CsvMappingSchema.parse(mappingInput);
  return [
    ...mapping.lookups.map((l) => l.file),
    ...(mapping.listPrices ? [mapping.listPrices.file] : [])
  ];
}
