import type { Clock } from '../clock';
import { QUEUE_DEFAULTS, type QueueDefaults, type QueueRules } from './config';
import { guidanceFor, type Outcome, type Purpose } from './guidance';
import { Heap } from './heap';
import { dayIndexOfDate, isOpen, isValidTimeZone, nextOpen, type WeeklyWindow } from './localTime';
import { estimateOdds, oddsFromPriors, type CallObservation, type OddsModel } from './odds';
import {
  parseDisposition,
  parseLead,
  QueueInputError,
  type AccountRecord,
  type DispositionRecord,
  type DispositionRecordInput,
  type LeadRecord,
  type LeadRecordInput,
  type QueueInput,
  type RepCapacityRecord,
  type StationTiming
} from './records';
import { before, nextOpenAt, openAt, scoreContext, scoreTask, type Score, type ScoreContext, type Tier } from './score';
import {
  callingWindow,
  maxAttemptsFor,
  parseWorkingDays,
  purposeOf,
  spacingAfter,
  transition,
  type AssetMove,
  type AssetType,
  type Task
} from './tasks';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface RepInfo {
  id: string;
  shift: WeeklyWindow;
  hourlyCap: number;
  slotMs: number;
}

/** Facts about a lead that outlive its task (a no-show brings the lead back to its booker). */
interface LeadInfo {
  id: string;
  ownerId: string | null;
  bookedBy: string | null;
  source: string | null;
  inbound: boolean;
  segment: string | null;
  timeZone: string | null;
  arrivedAt: number;
}

/**
 * The live queue of a floor, owned by the caller and updated in place: tasks by key, tasks
 * per SDR, and the odds. A disposition touches one task and re-plans one SDR, which is why
 * re-ranking after an event does not grow with the size of the floor.
 */
export interface QueueState {
  rules: QueueRules;
  odds: OddsModel;
  oddsVersion: number;
  stationId: string | null;
  reps: Map<string, RepInfo>;
  tasks: Map<string, Task>;
  /** Tasks per SDR, as sets of task objects (identity hashing: cheaper than string keys). */
  bySdr: Map<string, Set<Task>>;
  leads: Map<string, LeadInfo>;
  confirmByLead: Map<string, string>;
  windows: Map<string, WeeklyWindow>;
  ctx: ScoreContext;
}

export interface QueueEntry {
  /** Queue_Entry__c.Entry_Key__c: stable while the task is the same call, so upserts do not duplicate. */
  entryKey: string;
  sdrId: string;
  assetId: string;
  assetType: AssetType;
  slotId: string | null;
  purpose: Purpose;
  attemptNumber: number;
  rank: number;
  /** Earliest moment the call is allowed (cadence, call-back time, lead's calling hours). */
  dueAt: string;
  /** When the plan expects the SDR to make it, with calls spaced by the hourly cap. */
  plannedAt: string;
  tier: Tier;
  inbound: boolean;
  contactProbability: number;
  expectedMeetings: number;
  expectedMinutes: number;
  meetingsPerHour: number;
  guidanceKey: string;
  allowedOutcomes: readonly Outcome[];
}

export interface SdrQueue {
  sdrId: string;
  hourlyCap: number;
  /** Open tasks of this SDR (the entries are the first `limit` of them in plan order). */
  openTasks: number;
  entries: QueueEntry[];
  /** Assets whose calling hours never overlap this SDR's shift: reassign them or fix the shift. */
  unplannable: string[];
}

export interface ClosedAsset {
  assetId: string;
  assetType: AssetType;
  reason: string;
}

export interface FieldUpdate {
  assetId: string;
  assetType: AssetType;
  fields: Record<string, string | number | null>;
}

export interface BuildOptions {
  defaults?: QueueDefaults;
  /** Use these odds instead of fitting them to input.history. */
  odds?: OddsModel;
}

const SLUGS = new Map<Purpose, string>();
const slug = (purpose: Purpose): string => {
  let value = SLUGS.get(purpose);
  if (value === undefined) {
    value = purpose.toLowerCase().replace(/\s+/g, '-');
    SLUGS.set(purpose, value);
  }
  return value;
};

/** ISO text of an instant; many entries share their due time, so the last few are remembered. */
const isoCache = new Map<number, string>();
function iso(ms: number): string {
  let text = isoCache.get(ms);
  if (text === undefined) {
    if (isoCache.size > 4096) isoCache.clear();
    text = new Date(ms).toISOString();
    isoCache.set(ms, text);
  }
  return text;
}

export function entryKeyOf(task: Task): string {
  const owner = task.slotId !== null ? `slot-${task.slotId}` : task.assetId;
  return `${owner}:${slug(purposeOf(task))}:${task.attempts + 1}`;
}

export function repInfoOf(rep: RepCapacityRecord, station: StationTiming): RepInfo {
  const fail = (field: string, value: unknown, expected: string): never => {
    throw new QueueInputError([`Rep_Capacity__c of ${rep.User__c}: ${field} is ${JSON.stringify(value)}; ${expected}`]);
  };
  if (!isValidTimeZone(rep.Time_Zone__c)) fail('Time_Zone__c', rep.Time_Zone__c, 'expected an IANA zone such as America/Chicago');
  if (rep.Shift_End_Hour__c <= rep.Shift_Start_Hour__c) fail('Shift_End_Hour__c', rep.Shift_End_Hour__c, 'expected a value after Shift_Start_Hour__c');
  const days = parseWorkingDays(rep.Working_Days__c);
  if (days.size === 0) fail('Working_Days__c', rep.Working_Days__c, 'expected days such as Mon;Tue;Wed;Thu;Fri');
  const blocked: Array<readonly [number, number]> = [];
  if (rep.Leave_Start__c) blocked.push([dayIndexOfDate(rep.Leave_Start__c), dayIndexOfDate(rep.Leave_End__c ?? rep.Leave_Start__c)]);
  const hourlyCap = Math.max(
    1,
    Math.floor(rep.Hourly_Cap_Override__c ?? station.Hourly_Cap_Override__c ?? 60 / station.Handling_Minutes__c)
  );
  return {
    id: rep.User__c,
    shift: { zones: [rep.Time_Zone__c], startMinute: rep.Shift_Start_Hour__c * 60, endMinute: rep.Shift_End_Hour__c * 60, days, blocked },
    hourlyCap,
    slotMs: (60 / hourlyCap) * MINUTE
  };
}

/** First instant >= at when every window is open (lead calling hours and SDR shift). */
export function nextOpenAll(windows: readonly WeeklyWindow[], at: number): number {
  let t = at;
  for (let round = 0; round < 64; round += 1) {
    let moved = false;
    for (const window of windows) {
      const next = nextOpen(window, t);
      if (next !== t) {
        t = next;
        moved = true;
      }
    }
    if (!moved) return t;
  }
  throw new RangeError('The lead calling hours and the SDR shift never overlap');
}

function emptyCache(): Task['cache'] {
  return { oddsVersion: -1, staticContact: 0, meeting: 0, readyFor: NaN, readyAt: NaN };
}

function leadInfoOf(lead: LeadRecord): LeadInfo {
  return {
    id: lead.Id,
    ownerId: lead.OwnerId,
    bookedBy: lead.Booked_By__c,
    source: lead.LeadSource,
    inbound: lead.Inbound__c,
    segment: lead.Segment__c,
    timeZone: lead.Time_Zone__c,
    arrivedAt: lead.CreatedDate
  };
}

interface TaskFields {
  cycle: Task['cycle'];
  attempts: number;
  callBackAt: number | null;
  dueAt: number;
  lastAttemptAt?: number | null;
  deadlineAt?: number | null;
  slotId?: string | null;
  assetType?: AssetType;
}

/** One object literal with every field in one order: tasks share a hidden class, which keeps scoring fast. */
function makeTask(state: QueueState, info: LeadInfo, sdrId: string, key: string, f: TaskFields): Task {
  return {
    key,
    assetId: info.id,
    assetType: f.assetType ?? 'Lead',
    sdrId,
    cycle: f.cycle,
    attempts: f.attempts,
    callBackAt: f.callBackAt,
    dueAt: f.dueAt,
    deadlineAt: f.deadlineAt ?? null,
    lastAttemptAt: f.lastAttemptAt ?? null,
    inbound: info.inbound,
    arrivedAt: info.arrivedAt,
    source: info.source,
    segment: info.segment,
    timeZone: isValidTimeZone(info.timeZone) ? info.timeZone : null,
    window: callingWindow(state.rules, info.timeZone, state.windows),
    slaStartAt: null,
    slotId: f.slotId ?? null,
    cache: emptyCache()
  };
}

function slaStart(state: QueueState, task: Task): number | null {
  if (!(task.cycle === 'Pursuit' && task.attempts === 0 && task.inbound && task.callBackAt === null)) return null;
  const rep = state.reps.get(task.sdrId);
  if (!rep) return null;
  try {
    return nextOpenAll([task.window, rep.shift], task.arrivedAt);
  } catch {
    return null; // shift and calling hours never overlap: planSdr reports the lead as unplannable
  }
}

/** Per-lead facts read from the disposition history. */
interface LeadHistory {
  lastMeetingEvent: { outcome: Outcome; at: number } | null;
}

const MEETING_EVENTS: ReadonlySet<Outcome> = new Set<Outcome>(['Meeting Booked', 'No Show', 'Cancelled', 'Confirmed', 'Demo Held']);

export type Classified =
  | { status: 'queued'; task: Task }
  | { status: 'moved'; move: AssetMove }
  | { status: 'closed'; reason: string }
  | { status: 'unassigned'; reason: string };

/** The hard rules for one lead: queue it, move it, or say why it is not the SDR's to call. */
export function classifyLead(state: QueueState, lead: LeadRecord, history: LeadHistory | undefined, now: number, known?: LeadInfo): Classified {
  const rules = state.rules;
  const bin = lead.Bin__c ?? 'Cold';
  const nurture = bin === rules.nurtureBin;
  if (lead.IsConverted) return { status: 'closed', reason: 'Converted' };
  if (!rules.activeBins.includes(bin) && !nurture) return { status: 'closed', reason: `Bin ${bin}` };
  if (state.stationId !== null && lead.Station__c !== null && lead.Station__c !== state.stationId) {
    return { status: 'closed', reason: 'At another station' };
  }
  if (lead.DoNotCall) {
    if (nurture) return { status: 'closed', reason: 'Do Not Call' };
    return { status: 'moved', move: { assetId: lead.Id, assetType: 'Lead', outcome: 'Do Not Call', reason: 'Do Not Call', fields: {} } };
  }
  if (lead.OwnerId === null || !state.reps.has(lead.OwnerId)) {
    return { status: 'unassigned', reason: lead.OwnerId === null ? 'No owner' : `Owner ${lead.OwnerId} is not an active SDR` };
  }
  const info = known ?? leadInfoOf(lead);
  const attempts = Math.max(0, Math.floor(lead.Attempt_Count__c ?? 0));
  const meetingEvent = history?.lastMeetingEvent ?? null;
  const cycle: Task['cycle'] = nurture
    ? 'Nurture'
    : (meetingEvent ? meetingEvent.outcome === 'No Show' || meetingEvent.outcome === 'Cancelled' : lead.Booked_By__c !== null)
      ? 'Rebook'
      : 'Pursuit';
  if (attempts >= maxAttemptsFor(rules, cycle)) {
    const move: AssetMove = {
      assetId: lead.Id,
      assetType: 'Lead',
      outcome: 'Nurture',
      reason: 'Max Attempts',
      fields: {
        Bin__c: rules.nurtureBin,
        Next_Action_At__c: new Date(now + rules.nurtureReentryDays * DAY).toISOString(),
        Attempt_Count__c: 0
      }
    };
    return { status: 'moved', move };
  }
  const callBackAt = nurture ? null : lead.Next_Action_At__c;
  let dueAt: number;
  if (nurture) dueAt = lead.Next_Action_At__c ?? now;
  else if (callBackAt !== null) dueAt = callBackAt;
  else if (attempts === 0) dueAt = cycle === 'Rebook' ? (meetingEvent ? meetingEvent.at + rules.rebookDelayMinutes * MINUTE : now) : lead.CreatedDate;
  else dueAt = lead.Last_Attempt_At__c !== null ? lead.Last_Attempt_At__c + spacingAfter(rules, { cycle, inbound: info.inbound }, attempts) * MINUTE : now;
  const task = makeTask(state, info, lead.OwnerId, `L:${lead.Id}`, { cycle, attempts, callBackAt, dueAt, lastAttemptAt: lead.Last_Attempt_At__c });
  task.slaStartAt = slaStart(state, task);
  return { status: 'queued', task };
}

interface AccountHistory {
  calls: DispositionRecord[];
}

const PURSUIT_PURPOSES: ReadonlySet<string> = new Set(['First Touch', 'Follow Up', 'Call Back']);
const UNANSWERED: ReadonlySet<Outcome> = new Set<Outcome>(['No Answer', 'Left Voicemail', 'Wrong Person']);

/** Accounts: new-business calls, or a courtesy call while a high-priority case or an overdue invoice is open. */
export function classifyAccount(state: QueueState, account: AccountRecord, blockedByCase: boolean, history: AccountHistory | undefined, now: number): Classified {
  const rules = state.rules;
  const bin = account.Bin__c ?? 'Cold';
  const nurture = bin === rules.nurtureBin;
  if (!rules.activeBins.includes(bin) && !nurture) return { status: 'closed', reason: `Bin ${bin}` };
  if (state.stationId !== null && account.Station__c !== null && account.Station__c !== state.stationId) {
    return { status: 'closed', reason: 'At another station' };
  }
  if (account.OwnerId === null || !state.reps.has(account.OwnerId)) {
    return { status: 'unassigned', reason: account.OwnerId === null ? 'No owner' : `Owner ${account.OwnerId} is not an active SDR` };
  }
  const since = account.Bin_Entered_At__c ?? -Infinity;
  const calls = (history?.calls ?? []).filter((d) => d.CreatedDate >= since);
  const info: LeadInfo = {
    id: account.Id,
    ownerId: account.OwnerId,
    bookedBy: null,
    source: null,
    inbound: false,
    segment: account.Segment__c,
    timeZone: account.Time_Zone__c,
    arrivedAt: account.Bin_Entered_At__c ?? now
  };
  const key = `A:${account.Id}`;
  const owner = account.OwnerId;
  const last = calls[calls.length - 1];
  if (account.Has_Overdue_Invoice__c || blockedByCase) {
    const courtesy = (history?.calls ?? []).filter((d) => d.Purpose__c === 'Courtesy Call');
    let doneAt: number | null = null;
    for (const d of courtesy) if (!UNANSWERED.has(d.Outcome__c) && d.Outcome__c !== 'Call Back Requested') doneAt = d.CreatedDate;
    const open = courtesy.filter((d) => doneAt === null || d.CreatedDate > doneAt);
    let attempts = open.filter((d) => UNANSWERED.has(d.Outcome__c)).length;
    const lastCall = open[open.length - 1];
    let dueAt = now;
    if (lastCall?.Outcome__c === 'Call Back Requested') dueAt = lastCall.Next_Action_At__c ?? lastCall.CreatedDate + rules.callBackDefaultMinutes * MINUTE;
    else if (attempts >= maxAttemptsFor(rules, 'Courtesy') && lastCall) {
      dueAt = lastCall.CreatedDate + rules.courtesyIntervalDays * DAY;
      attempts = 0;
    } else if (doneAt !== null && open.length === 0) dueAt = doneAt + rules.courtesyIntervalDays * DAY;
    else if (lastCall) dueAt = lastCall.CreatedDate + spacingAfter(rules, { cycle: 'Courtesy', inbound: false }, attempts) * MINUTE;
    return {
      status: 'queued',
      task: makeTask(state, info, owner, key, { assetType: 'Account', cycle: 'Courtesy', attempts, callBackAt: null, dueAt, lastAttemptAt: lastCall?.CreatedDate ?? null })
    };
  }
  const cycle: Task['cycle'] = nurture ? 'Nurture' : 'Pursuit';
  const attempts = calls.filter((d) => (nurture ? d.Purpose__c === 'Nurture Check Back' : PURSUIT_PURPOSES.has(d.Purpose__c ?? '')) && UNANSWERED.has(d.Outcome__c)).length;
  if (attempts >= maxAttemptsFor(rules, cycle)) {
    return { status: 'moved', move: { assetId: account.Id, assetType: 'Account', outcome: 'Nurture', reason: 'Max Attempts', fields: { Bin__c: rules.nurtureBin } } };
  }
  const callBackAt = !nurture && last?.Outcome__c === 'Call Back Requested' ? (last.Next_Action_At__c ?? last.CreatedDate + rules.callBackDefaultMinutes * MINUTE) : null;
  let dueAt: number;
  if (nurture) dueAt = (account.Bin_Entered_At__c ?? now) + rules.nurtureReentryDays * DAY;
  else if (callBackAt !== null) dueAt = callBackAt;
  else if (last) dueAt = last.CreatedDate + spacingAfter(rules, { cycle, inbound: false }, Math.max(1, attempts)) * MINUTE;
  else dueAt = now;
  return { status: 'queued', task: makeTask(state, info, owner, key, { assetType: 'Account', cycle, attempts, callBackAt, dueAt, lastAttemptAt: last?.CreatedDate ?? null }) };
}

/** Joins dispositions to their leads: the rows the odds are fitted on. */
export function observationsFromHistory(history: readonly DispositionRecord[], leads: readonly LeadRecord[] | ReadonlyMap<string, LeadRecord>): CallObservation[] {
  const byId: ReadonlyMap<string, LeadRecord> = leads instanceof Map ? leads : new Map((leads as readonly LeadRecord[]).map((lead) => [lead.Id, lead]));
  const rows: CallObservation[] = [];
  for (const d of history) {
    if (d.Lead__c === null || d.Purpose__c === null) continue;
    const lead = byId.get(d.Lead__c);
    if (!lead) continue;
    rows.push({
      calledAt: d.CreatedDate,
      attemptNumber: d.Attempt_Number__c ?? 1,
      purpose: d.Purpose__c,
      source: lead.LeadSource,
      inbound: lead.Inbound__c,
      segment: lead.Segment__c,
      timeZone: lead.Time_Zone__c,
      arrivedAt: lead.CreatedDate,
      outcome: d.Outcome__c,
      durationSeconds: d.Duration_Seconds__c
    });
  }
  return rows;
}

export function emptyState(input: Pick<QueueInput, 'station' | 'reps'>, options: BuildOptions = {}): QueueState {
  const defaults = options.defaults ?? QUEUE_DEFAULTS;
  const odds = options.odds ?? oddsFromPriors(defaults.priors);
  const reps = new Map<string, RepInfo>();
  for (const rep of input.reps) if (rep.Active__c) reps.set(rep.User__c, repInfoOf(rep, input.station));
  const state: QueueState = {
    rules: defaults.rules,
    odds,
    oddsVersion: 1,
    stationId: input.station.Id,
    reps,
    tasks: new Map(),
    bySdr: new Map([...reps.keys()].map((id) => [id, new Set<Task>()])),
    leads: new Map(),
    confirmByLead: new Map(),
    windows: new Map(),
    ctx: scoreContext(defaults.rules, odds, 1)
  };
  return state;
}

/** Replaces the odds (after a nightly refit); cached per-task odds are recomputed lazily. */
export function setOdds(state: QueueState, odds: OddsModel): void {
  state.odds = odds;
  state.oddsVersion += 1;
  state.ctx = scoreContext(state.rules, odds, state.oddsVersion);
}

export function putTask(state: QueueState, task: Task): void {
  removeTask(state, task.key);
  state.tasks.set(task.key, task);
  let book = state.bySdr.get(task.sdrId);
  if (!book) {
    book = new Set();
    state.bySdr.set(task.sdrId, book);
  }
  book.add(task);
  if (task.slotId !== null) state.confirmByLead.set(task.assetId, task.key);
}

/** putTask for a key known to be new (the full build): no removal lookups. */
function addNewTask(state: QueueState, task: Task): void {
  state.tasks.set(task.key, task);
  let book = state.bySdr.get(task.sdrId);
  if (!book) {
    book = new Set();
    state.bySdr.set(task.sdrId, book);
  }
  book.add(task);
  if (task.slotId !== null) state.confirmByLead.set(task.assetId, task.key);
}

export function removeTask(state: QueueState, key: string): Task | undefined {
  const task = state.tasks.get(key);
  if (!task) return undefined;
  state.tasks.delete(key);
  state.bySdr.get(task.sdrId)?.delete(task);
  if (task.slotId !== null && state.confirmByLead.get(task.assetId) === key) state.confirmByLead.delete(task.assetId);
  return task;
}

export interface BuildResult {
  state: QueueState;
  moves: AssetMove[];
  closed: ClosedAsset[];
  unassigned: ClosedAsset[];
}

/** Builds the live queue state from org records (used by rankQueue; the lead may keep it for re-ranks). */
export function buildQueueState(input: QueueInput, clock: Clock, options: BuildOptions = {}): BuildResult {
  const now = clock().getTime();
  const defaults = options.defaults ?? QUEUE_DEFAULTS;
  // One pass over the history, no global sort: only per-asset lists need their order.
  const history = input.history;
  const odds =
    options.odds ??
    (history.length > 0
      ? estimateOdds(observationsFromHistory(history, new Map(input.leads.map((lead) => [lead.Id, lead]))), defaults.priors)
      : oddsFromPriors(defaults.priors));
  const state = emptyState(input, { defaults, odds });
  const leadHistory = new Map<string, LeadHistory>();
  const accountHistory = new Map<string, AccountHistory>();
  const confirmCalls = new Map<string, DispositionRecord[]>();
  for (const d of history) {
    if (d.Lead__c !== null && MEETING_EVENTS.has(d.Outcome__c)) {
      const known = leadHistory.get(d.Lead__c)?.lastMeetingEvent;
      if (!known || d.CreatedDate >= known.at) leadHistory.set(d.Lead__c, { lastMeetingEvent: { outcome: d.Outcome__c, at: d.CreatedDate } });
    }
    if (d.Account__c !== null) {
      const entry = accountHistory.get(d.Account__c) ?? { calls: [] };
      entry.calls.push(d);
      accountHistory.set(d.Account__c, entry);
    }
    if (d.Lead__c !== null && d.Purpose__c === 'Confirm Demo') {
      const list = confirmCalls.get(d.Lead__c) ?? [];
      list.push(d);
      confirmCalls.set(d.Lead__c, list);
    }
  }
  const byTime = (a: DispositionRecord, b: DispositionRecord) => a.CreatedDate - b.CreatedDate;
  for (const entry of accountHistory.values()) entry.calls.sort(byTime);
  for (const list of confirmCalls.values()) list.sort(byTime);
  const result: BuildResult = { state, moves: [], closed: [], unassigned: [] };
  const record = (assetId: string, assetType: AssetType, c: Classified): void => {
    if (c.status === 'queued') addNewTask(state, c.task);
    else if (c.status === 'moved') result.moves.push(c.move);
    else if (c.status === 'closed') result.closed.push({ assetId, assetType, reason: c.reason });
    else result.unassigned.push({ assetId, assetType, reason: c.reason });
  };
  for (const lead of input.leads) {
    const info = leadInfoOf(lead);
    state.leads.set(lead.Id, info);
    record(lead.Id, 'Lead', classifyLead(state, lead, leadHistory.get(lead.Id), now, info));
  }
  const highCases = new Set(
    input.cases.filter((c) => !c.IsClosed && c.AccountId !== null && state.rules.highPriorityCaseValues.includes(c.Priority ?? '')).map((c) => c.AccountId as string)
  );
  for (const account of input.accounts) {
    record(account.Id, 'Account', classifyAccount(state, account, highCases.has(account.Id), accountHistory.get(account.Id), now));
  }
  for (const slot of input.demoSlots) addConfirmTask(state, slot, slot.Lead__c === null ? [] : (confirmCalls.get(slot.Lead__c) ?? []), now);
  return result;
}

/** `confirmCalls`: the lead's earlier Confirm Demo dispositions, oldest first. */
function addConfirmTask(state: QueueState, slot: QueueInput['demoSlots'][number], confirmCalls: readonly DispositionRecord[], now: number): void {
  const rules = state.rules;
  if (slot.Status__c !== 'Booked' || slot.Lead__c === null || slot.Booked_By__c === null || !state.reps.has(slot.Booked_By__c)) return;
  const deadlineAt = slot.Start__c - rules.confirmDemo.stopMinutesBefore * MINUTE;
  if (now >= deadlineAt) return;
  const windowStart = slot.Start__c - rules.confirmDemo.hoursBefore * 60 * MINUTE;
  const calls = confirmCalls.filter((d) => d.CreatedDate >= windowStart - 7 * DAY);
  if (calls.some((d) => !UNANSWERED.has(d.Outcome__c))) return;
  if (calls.length >= maxAttemptsFor(rules, 'Confirm')) return;
  const info = state.leads.get(slot.Lead__c) ?? {
    id: slot.Lead__c,
    ownerId: slot.Booked_By__c,
    bookedBy: slot.Booked_By__c,
    source: null,
    inbound: false,
    segment: null,
    timeZone: null,
    arrivedAt: now
  };
  const last = calls[calls.length - 1];
  const task = makeTask(state, info, slot.Booked_By__c, `S:${slot.Id}`, {
    cycle: 'Confirm',
    attempts: calls.length,
    callBackAt: null,
    dueAt: Math.max(windowStart, last ? last.CreatedDate + rules.confirmDemo.retryMinutes * MINUTE : windowStart),
    deadlineAt,
    lastAttemptAt: last?.CreatedDate ?? null,
    slotId: slot.Id
  });
  putTask(state, task);
}

/** When the task may next be called at or after `at`: null if it can no longer be (a confirm call past its deadline). */
export function readyTime(task: Task, at: number, ctx?: ScoreContext): number | null {
  let open: number;
  if (task.dueAt > at) {
    // Depends on the due time only: memoised on the task until the due time changes.
    if (task.cache.readyFor !== task.dueAt) {
      task.cache.readyFor = task.dueAt;
      task.cache.readyAt = nextOpen(task.window, task.dueAt);
    }
    open = task.cache.readyAt;
  } else if (ctx) {
    open = nextOpenAt(ctx, task.window, at);
  } else {
    open = nextOpen(task.window, at);
  }
  if (task.deadlineAt !== null && (Math.max(task.dueAt, at) >= task.deadlineAt || open >= task.deadlineAt)) return null;
  return open;
}

function toEntry(task: Task, score: Score, rank: number, plannedAt: number, dueAt: number): QueueEntry {
  const purpose = purposeOf(task);
  const guidance = guidanceFor(purpose, task.inbound && task.cycle === 'Pursuit');
  return {
    entryKey: entryKeyOf(task),
    sdrId: task.sdrId,
    assetId: task.assetId,
    assetType: task.assetType,
    slotId: task.slotId,
    purpose,
    attemptNumber: task.attempts + 1,
    rank,
    dueAt: iso(dueAt),
    plannedAt: iso(plannedAt),
    tier: score.tier,
    inbound: task.inbound,
    contactProbability: score.contact,
    expectedMeetings: score.expectedMeetings,
    expectedMinutes: score.expectedMinutes,
    meetingsPerHour: score.rate,
    guidanceKey: guidance.key,
    allowedOutcomes: guidance.allowedOutcomes
  };
}

interface Waiting {
  task: Task;
  at: number;
}
interface Ready {
  task: Task;
  score: Score;
  dueAt: number;
}

/**
 * Plans one SDR's next `limit` calls: at each slot (slots are 60 / hourly cap minutes apart,
 * inside the SDR's shift) the best task that is callable at that moment. Priorities are
 * computed when a task becomes callable; beyond the first hour the plan is indicative, since
 * every disposition and arrival re-plans it.
 */
export function planSdr(state: QueueState, sdrId: string, clock: Clock, limit = Infinity): SdrQueue {
  const now = clock().getTime();
  const rep = state.reps.get(sdrId);
  const book = state.bySdr.get(sdrId) ?? new Set<Task>();
  if (!rep) return { sdrId, hourlyCap: 0, openTasks: book.size, entries: [], unplannable: [...book.values()].map((t) => t.assetId) };
  if (limit <= 0) return { sdrId, hourlyCap: rep.hourlyCap, openTasks: book.size, entries: [], unplannable: [] };
  const overlaps = new Map<WeeklyWindow, boolean>();
  const unplannable: string[] = [];
  // Tasks callable now go straight to the ready heap, the rest wait for their time; both heaps are built in O(n).
  const cursor0 = nextOpen(rep.shift, now);
  const waitingItems: Waiting[] = [];
  const readyItems: Ready[] = [];
  for (const task of book.values()) {
    if (!shiftMeetsWindow(rep, task.window, now, overlaps)) {
      unplannable.push(task.assetId);
      continue;
    }
    const at = readyTime(task, cursor0, state.ctx);
    if (at === null) continue;
    if (at <= cursor0) readyItems.push({ task, score: scoreTask(task, state.ctx, cursor0), dueAt: cursor0 === now ? at : (readyTime(task, now, state.ctx) ?? at) });
    else waitingItems.push({ task, at });
  }
  const waiting = new Heap<Waiting>((a, b) => a.at < b.at || (a.at === b.at && a.task.key < b.task.key), waitingItems);
  const ready = new Heap<Ready>(before, readyItems);
  const entries: QueueEntry[] = [];
  const horizon = now + PLAN_HORIZON_DAYS * DAY;
  let cursor = cursor0;
  while (entries.length < limit && (waiting.size > 0 || ready.size > 0) && cursor < horizon) {
    cursor = nextOpen(rep.shift, cursor);
    for (let w = waiting.peek(); w !== undefined && w.at <= cursor; w = waiting.peek()) {
      waiting.pop();
      const at = readyTime(w.task, cursor, state.ctx);
      if (at === null) continue;
      if (at > cursor) waiting.push({ task: w.task, at });
      else ready.push({ task: w.task, score: scoreTask(w.task, state.ctx, cursor), dueAt: w.at });
    }
    const top = ready.pop();
    if (top === undefined) {
      const next = waiting.peek();
      if (next === undefined) break;
      cursor = Math.max(cursor, next.at);
      continue;
    }
    if (!openAt(state.ctx, top.task.window, cursor) || (top.task.deadlineAt !== null && cursor >= top.task.deadlineAt)) {
      const at = readyTime(top.task, cursor, state.ctx);
      if (at !== null) waiting.push({ task: top.task, at });
      continue;
    }
    entries.push(toEntry(top.task, top.score, entries.length + 1, cursor, top.dueAt));
    cursor += rep.slotMs;
  }
  return { sdrId, hourlyCap: rep.hourlyCap, openTasks: book.size, entries, unplannable };
}

/** Nurture re-entry is 90 days by default; nothing the queue plans lies further out. */
const PLAN_HORIZON_DAYS = 400;

function shiftMeetsWindow(rep: RepInfo, window: WeeklyWindow, now: number, memo: Map<WeeklyWindow, boolean>): boolean {
  let meets = memo.get(window);
  if (meets === undefined) {
    try {
      nextOpenAll([window, rep.shift], now);
      meets = true;
    } catch {
      meets = false;
    }
    memo.set(window, meets);
  }
  return meets;
}

/**
 * The call the SDR should make now, or null when nothing is callable (off shift, or every task
 * waits for its time). Same choice as the first entry of planSdr, in one pass without heaps.
 */
export function nextCall(state: QueueState, sdrId: string, clock: Clock): QueueEntry | null {
  const now = clock().getTime();
  const rep = state.reps.get(sdrId);
  const book = state.bySdr.get(sdrId);
  if (!rep || !book || !isOpen(rep.shift, now)) return null;
  let best: Ready | null = null;
  for (const task of book.values()) {
    if (task.dueAt > now || (task.deadlineAt !== null && now >= task.deadlineAt)) continue;
    if (!openAt(state.ctx, task.window, now)) continue;
    const candidate = { task, score: scoreTask(task, state.ctx, now), dueAt: now };
    if (best === null || before(candidate, best)) best = candidate;
  }
  return best === null ? null : toEntry(best.task, best.score, 1, now, Math.max(best.task.dueAt, now));
}

export interface RerankResult {
  /** SDRs whose queue changed (one, or two when an asset changed hands). */
  queues: SdrQueue[];
  moves: AssetMove[];
  fieldUpdates: FieldUpdate[];
  /** Entry keys that no longer describe an open call (mark those Queue_Entry__c rows Withdrawn or Done). */
  withdrawn: string[];
  /** A no-show or cancellation for a lead the state does not know: fetch the lead and call upsertLead. */
  unknownAsset: string | null;
}

export interface RerankOptions {
  /** The lead record as it is now in the org (needed when a no-show brings back a lead the state has not seen). */
  lead?: LeadRecordInput;
  /** Entries to plan for the SDR concerned (default 50; 0 skips planning, e.g. when only nextCall is used). */
  limit?: number;
}

function keyFor(state: QueueState, d: DispositionRecord): string | null {
  if (d.Purpose__c === 'Confirm Demo' && d.Lead__c !== null) return state.confirmByLead.get(d.Lead__c) ?? null;
  if (d.Lead__c !== null) return `L:${d.Lead__c}`;
  if (d.Account__c !== null) return `A:${d.Account__c}`;
  return null;
}

/**
 * Applies one disposition to the live queue and re-plans only the SDR concerned. Call it once
 * per disposition (the org marks Disposition__c.Processed_At__c), in the order they happened.
 */
export function rerankAfterDisposition(
  state: QueueState,
  disposition: DispositionRecordInput | DispositionRecord,
  clock: Clock,
  options: RerankOptions = {}
): RerankResult {
  const d = parseDisposition(disposition);
  const limit = options.limit ?? 50;
  const result: RerankResult = { queues: [], moves: [], fieldUpdates: [], withdrawn: [], unknownAsset: null };
  const key = keyFor(state, d);
  const current = key === null ? undefined : state.tasks.get(key);
  if (options.lead) {
    const lead = parseLead(options.lead);
    state.leads.set(lead.Id, leadInfoOf(lead));
  }
  let task = current;
  if (!task) {
    if ((d.Outcome__c === 'No Show' || d.Outcome__c === 'Cancelled') && d.Lead__c !== null) {
      const info = state.leads.get(d.Lead__c);
      const owner = info ? (info.bookedBy ?? info.ownerId) : null;
      if (!info || owner === null || !state.reps.has(owner)) {
        result.unknownAsset = d.Lead__c;
        return result;
      }
      task = makeTask(state, info, owner, `L:${info.id}`, { cycle: 'Pursuit', attempts: 0, callBackAt: null, dueAt: d.CreatedDate });
    } else {
      return result;
    }
  }
  const step = transition(state.rules, task, d.Outcome__c, d.CreatedDate, d.Next_Action_At__c);
  const oldKey = current ? entryKeyOf(current) : null;
  const sdrs = new Set<string>([task.sdrId]);
  if (current) removeTask(state, current.key);
  if (step.task) {
    const next: Task = { ...step.task, cache: emptyCache() };
    next.slaStartAt = slaStart(state, next);
    putTask(state, next);
    sdrs.add(next.sdrId);
    if (oldKey !== null && entryKeyOf(next) !== oldKey) result.withdrawn.push(oldKey);
  } else if (oldKey !== null) {
    result.withdrawn.push(oldKey);
  }
  if (step.move) result.moves.push(step.move);
  if (step.fields) result.fieldUpdates.push({ assetId: task.assetId, assetType: task.assetType, fields: step.fields });
  result.queues = [...sdrs].map((sdrId) => planSdr(state, sdrId, clock, limit));
  return result;
}

/**
 * A lead arrived or changed in the org (new inbound lead, owner change, re-entry from
 * nurture): re-classify it and re-plan the SDRs concerned.
 */
export function upsertLead(state: QueueState, raw: LeadRecordInput | LeadRecord, clock: Clock, options: { limit?: number } = {}): RerankResult & { status: Classified['status'] } {
  const lead = parseLead(raw);
  const now = clock().getTime();
  const key = `L:${lead.Id}`;
  const old = state.tasks.get(key);
  const oldEntry = old ? entryKeyOf(old) : null;
  state.leads.set(lead.Id, leadInfoOf(lead));
  const classified = classifyLead(state, lead, undefined, now);
  const sdrs = new Set<string>();
  if (old) {
    removeTask(state, key);
    sdrs.add(old.sdrId);
  }
  const result: RerankResult & { status: Classified['status'] } = {
    queues: [],
    moves: [],
    fieldUpdates: [],
    withdrawn: [],
    unknownAsset: null,
    status: classified.status
  };
  if (classified.status === 'queued') {
    putTask(state, classified.task);
    sdrs.add(classified.task.sdrId);
    if (oldEntry !== null && oldEntry !== entryKeyOf(classified.task)) result.withdrawn.push(oldEntry);
  } else {
    if (oldEntry !== null) result.withdrawn.push(oldEntry);
    if (classified.status === 'moved') result.moves.push(classified.move);
    // A lead that left the line for good (converted, avoided, dead) is never called again: a
    // long-running engine that kept its facts would grow with every lead ever closed. A lead at
    // another station stays known, as its no-show comes back here.
    if (classified.status === 'closed' && classified.reason !== 'At another station') state.leads.delete(lead.Id);
  }
  result.queues = [...sdrs].map((sdrId) => planSdr(state, sdrId, clock, options.limit ?? 50));
  return result;
}
