/**
 * What a Salesforce org derives by itself when a record is saved, for the standard objects
 * the product uses (Object Reference for the Salesforce Platform, each object's field
 * notes): compound names, Opportunity stage facts and OpportunityHistory rows, Case and Task
 * closed flags, Event start/end/duration, CampaignMember type and response, User defaults,
 * auto-numbers, and a custom object's Name defaulting to its Id.
 */
import { SalesforceError } from '../errors';
import { FORECAST_CATEGORY_API } from '../schema/standard';
import type { FieldDef, SObjectDef } from '../schema/types';
import { formatDate, formatDateTime, parseDateTime, type DbValue } from './values';
import { dayText, localDay } from '../soql/dates';

export type Row = Record<string, DbValue>;

export interface WriteState {
  def: SObjectDef;
  row: Row;
  /** Stored values before this write; null on insert. */
  prior: Row | null;
  /** Canonical names of the fields the caller set in this write. */
  provided: Set<string>;
}

export interface BehaviorContext {
  now: Date;
  nowText: string;
  userId: string;
  orgTimeZone: string;
  timeZoneOf(userId: string | null): string;
  nextAutoNumber(object: string, field: string): number;
  /** Runs a read-only statement (parameterised) and returns rows as objects. */
  select(sql: string, params: Array<string | number | null>): Array<Record<string, unknown>>;
  /** Writes an OpportunityHistory row (the org's own write). */
  writeHistory(row: Row): void;
}

interface Behavior {
  beforeSave?(state: WriteState, ctx: BehaviorContext): void;
  /** Runs once the record has its Id (inserts) or after the update statement. */
  afterSave?(state: WriteState, ctx: BehaviorContext): void;
}

const changed = (state: WriteState, field: string): boolean => state.prior === null || state.prior[field] !== state.row[field];

function fieldOf(def: SObjectDef, name: string): FieldDef | undefined {
  return def.fields.find((f) => f.name === name);
}

function personName(state: WriteState): void {
  if (state.prior !== null && !state.provided.has('FirstName') && !state.provided.has('LastName')) return;
  const parts = [state.row.FirstName, state.row.LastName].filter((part) => part !== null && part !== undefined && part !== '');
  state.row.Name = parts.length > 0 ? parts.join(' ') : null;
}

function requireMissing(fields: string[]): SalesforceError {
  return new SalesforceError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${fields.join(', ')}]`, 400, fields);
}

const user: Behavior = {
  beforeSave(state, ctx) {
    personName(state);
    const { row } = state;
    if (state.prior === null) {
      const first = typeof row.FirstName === 'string' ? row.FirstName : '';
      const last = typeof row.LastName === 'string' ? row.LastName : '';
      row.Alias ??= `${first.slice(0, 1)}${last}`.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8) || 'user';
      row.CommunityNickname ??= String(row.Username ?? '').split('@')[0]?.slice(0, 40) ?? null;
      row.TimeZoneSidKey ??= ctx.orgTimeZone;
      row.LocaleSidKey ??= 'en_US';
      row.LanguageLocaleKey ??= 'en_US';
      row.EmailEncodingKey ??= 'UTF-8';
      row.UserType = 'Standard';
    }
    if (state.provided.has('TimeZoneSidKey') && !isTimeZone(row.TimeZoneSidKey ?? null)) {
      throw new SalesforceError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Time Zone: bad value for restricted picklist field: ${String(row.TimeZoneSidKey)}`, 400, ['TimeZoneSidKey']);
    }
    if (state.provided.has('Username') && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(String(row.Username ?? ''))) {
      throw new SalesforceError('INVALID_NEW_VALUE', 'Username: the username must be in the form of an email address (for example, john@acme.com)', 400, ['Username']);
    }
  },
};

function isTimeZone(value: DbValue): boolean {
  if (typeof value !== 'string') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const opportunity: Behavior = {
  beforeSave(state, ctx) {
    const { row, def } = state;
    const stageName = row.StageName;
    const stage = fieldOf(def, 'StageName')?.picklistValues.find((value) => value.value === stageName);
    if (stage !== undefined && changed(state, 'StageName')) {
      if (!state.provided.has('Probability')) row.Probability = stage.probability ?? null;
      if (!state.provided.has('ForecastCategoryName')) {
        row.ForecastCategoryName = stage.forecastCategory ?? (stage.closed === true ? (stage.won === true ? 'Closed' : 'Omitted') : 'Pipeline');
      }
      row.IsClosed = stage.closed === true ? 1 : 0;
      row.IsWon = stage.won === true ? 1 : 0;
      if (state.prior !== null) row.LastStageChangeDate = ctx.nowText;
    }
    row.ForecastCategory = typeof row.ForecastCategoryName === 'string' ? (FORECAST_CATEGORY_API[row.ForecastCategoryName] ?? null) : null;
    const amount = row.Amount;
    const probability = row.Probability;
    row.ExpectedRevenue = typeof amount === 'number' && typeof probability === 'number' ? Math.round(amount * probability) / 100 : null;
    if (typeof row.CloseDate === 'string') {
      const year = Number(row.CloseDate.slice(0, 4));
      const quarter = Math.floor((Number(row.CloseDate.slice(5, 7)) - 1) / 3) + 1;
      row.FiscalYear = year;
      row.FiscalQuarter = quarter;
      row.Fiscal = `${year} ${quarter}`;
    }
  },
  afterSave(state, ctx) {
    const tracked = ['StageName', 'Amount', 'CloseDate', 'Probability', 'ForecastCategory'];
    if (state.prior !== null && !tracked.some((field) => changed(state, field))) return;
    const { row, prior } = state;
    ctx.writeHistory({
      OpportunityId: row.Id ?? null,
      StageName: row.StageName ?? null,
      Amount: row.Amount ?? null,
      ExpectedRevenue: row.ExpectedRevenue ?? null,
      CloseDate: row.CloseDate ?? null,
      Probability: row.Probability ?? null,
      ForecastCategory: row.ForecastCategory ?? null,
      PrevAmount: prior?.Amount ?? null,
      PrevCloseDate: prior?.CloseDate ?? null,
    });
  },
};

function closedFlag(def: SObjectDef, status: DbValue): boolean {
  return fieldOf(def, 'Status')?.picklistValues.find((value) => value.value === status)?.closed === true;
}

const caseBehavior: Behavior = {
  beforeSave(state, ctx) {
    const { row, def } = state;
    const closed = closedFlag(def, row.Status ?? null);
    const wasClosed = state.prior !== null && state.prior.IsClosed === 1;
    row.IsClosed = closed ? 1 : 0;
    if (closed && !wasClosed) row.ClosedDate = ctx.nowText;
    if (!closed) row.ClosedDate = null;
    if (state.prior === null) row.CaseNumber = String(ctx.nextAutoNumber('Case', 'CaseNumber')).padStart(8, '0');
  },
};

const task: Behavior = {
  beforeSave(state, ctx) {
    const { row, def } = state;
    const closed = closedFlag(def, row.Status ?? null);
    const wasClosed = state.prior !== null && state.prior.IsClosed === 1;
    row.IsClosed = closed ? 1 : 0;
    if (closed && !wasClosed) row.CompletedDateTime = ctx.nowText;
    if (!closed) row.CompletedDateTime = null;
    if (state.prior === null) row.TaskSubtype ??= 'Task';
  },
};

const event: Behavior = {
  beforeSave(state, ctx) {
    const { row, provided } = state;
    if (provided.has('ActivityDateTime') && !provided.has('StartDateTime')) row.StartDateTime = row.ActivityDateTime ?? null;
    row.ActivityDateTime = row.StartDateTime ?? null;
    const start = typeof row.StartDateTime === 'string' ? parseDateTime(row.StartDateTime) : undefined;
    if (start === undefined) throw requireMissing(['StartDateTime']);
    if (provided.has('EndDateTime') && !provided.has('DurationInMinutes')) {
      const end = typeof row.EndDateTime === 'string' ? parseDateTime(row.EndDateTime) : undefined;
      row.DurationInMinutes = end === undefined ? null : Math.round((end.getTime() - start.getTime()) / 60_000);
    } else if (typeof row.DurationInMinutes === 'number') {
      row.EndDateTime = formatDateTime(new Date(start.getTime() + row.DurationInMinutes * 60_000));
    }
    if (row.DurationInMinutes === null || row.DurationInMinutes === undefined) throw requireMissing(['DurationInMinutes']);
    if ((row.DurationInMinutes as number) < 0) {
      throw new SalesforceError('FIELD_INTEGRITY_EXCEPTION', 'End: End time must be after the start time.', 400, ['EndDateTime']);
    }
    const zone = ctx.timeZoneOf(typeof row.OwnerId === 'string' ? row.OwnerId : null);
    row.ActivityDate = row.IsAllDayEvent === 1 ? formatDate(start) : dayText(localDay(start, zone));
  },
};

const campaignMember: Behavior = {
  beforeSave(state, ctx) {
    const { row } = state;
    if (state.prior === null) {
      if (row.LeadId == null && row.ContactId == null) throw requireMissing(['LeadId', 'ContactId']);
      row.Type = row.ContactId != null ? 'Contact' : 'Lead';
      row.LeadOrContactId = row.ContactId ?? row.LeadId ?? null;
      const column = row.ContactId != null ? 'ContactId' : 'LeadId';
      const existing = ctx.select(`SELECT "Id" FROM "CampaignMember" WHERE "CampaignId" = ? AND "${column}" = ? AND "IsDeleted" = 0 LIMIT 1`, [
        row.CampaignId ?? null,
        row.LeadOrContactId,
      ]);
      if (existing.length > 0) throw new SalesforceError('DUPLICATE_VALUE', 'Already a campaign member.', 400, []);
    }
    const responded = row.Status === 'Responded';
    row.HasResponded = responded ? 1 : 0;
    if (responded && (state.prior === null || state.prior.HasResponded !== 1)) row.FirstRespondedDate ??= ctx.nowText.slice(0, 10);
  },
};

const personBehavior: Behavior = { beforeSave: (state) => personName(state) };

const BEHAVIORS: Record<string, Behavior> = {
  User: user,
  Lead: personBehavior,
  Contact: personBehavior,
  Opportunity: opportunity,
  Case: caseBehavior,
  Task: task,
  Event: event,
  CampaignMember: campaignMember,
};

/** Derivations before validation (throws SalesforceError for what the org would reject). */
export function beforeSave(state: WriteState, ctx: BehaviorContext): void {
  BEHAVIORS[state.def.name]?.beforeSave?.(state, ctx);
  if (state.def.custom && state.prior === null) customAutoNumbers(state, ctx);
}

/** Follow-up writes once the row is stored. */
export function afterSave(state: WriteState, ctx: BehaviorContext): void {
  BEHAVIORS[state.def.name]?.afterSave?.(state, ctx);
}

function customAutoNumbers(state: WriteState, ctx: BehaviorContext): void {
  for (const def of state.def.fields) {
    if (!def.autoNumber) continue;
    const n = ctx.nextAutoNumber(state.def.name, def.name);
    state.row[def.name] = formatAutoNumber(def.formula ?? '{0}', n, ctx.now);
  }
}

/** Display formats such as `INV-{0000}` or `{YYYY}-{MM}-{0}` (Salesforce Help: Auto Number fields). */
export function formatAutoNumber(format: string, n: number, now: Date): string {
  return format.replace(/\{(0+|YYYY|YY|MM|DD)\}/g, (_match, token: string) => {
    switch (token) {
      case 'YYYY':
        return String(now.getUTCFullYear());
      case 'YY':
        return String(now.getUTCFullYear()).slice(2);
      case 'MM':
        return String(now.getUTCMonth() + 1).padStart(2, '0');
      case 'DD':
        return String(now.getUTCDate()).padStart(2, '0');
      default:
        return String(n).padStart(token.length, '0');
    }
  });
}
