import path from 'node:path';
import fc from 'fast-check';
import { loadSchema } from '../schema';
import {
  contactProbability,
  loadBehaviourModel,
  meetingProbability,
  type FameBand,
  type Weekday
} from './behaviourModel';
import { generateDemoFloor } from './generate';
import { CONTACT_OUTCOMES, MAX_ATTEMPTS } from './leads';
import { floorSizes } from './options';
import { MemorySink, type FloorRow } from './sink';
import { MemoryTruth } from './truth';
import { exactOffsetMinutes } from './timeZones';

const AS_OF = '2026-11-20T15:00:00.000Z';
const AS_OF_MS = Date.parse(AS_OF);
const BINS = [
  'Cold',
  'Working',
  'Nurture - Active Opportunity',
  'Nurture - Check Back Quarterly',
  'Nurture - Dead Opportunity',
  'Avoid - Current Client',
  'Avoid - Bad Fit',
  'Avoid - Duplicate'
];
const { schema } = loadSchema({
  forceAppDir: path.resolve(__dirname, '../../../force-app/main/default')
});
const model = loadBehaviourModel();

async function floor(
  leads: number,
  seed: string | number = 'test-seed',
  extra: { batchSize?: number } = {}
) {
  const sink = new MemorySink();
  const truth = new MemoryTruth();
  const summary = await generateDemoFloor(sink, { leads, seed, asOf: AS_OF, ...extra }, truth);
  return { sink, truth, summary };
}

function groupBy(rows: readonly FloorRow[], key: string): Map<string, FloorRow[]> {
  const groups = new Map<string, FloorRow[]>();
  for (const row of rows) {
    const value = String(row[key]);
    const list = groups.get(value);
    if (list === undefined) groups.set(value, [row]);
    else list.push(row);
  }
  return groups;
}

describe('demo sales floor', () => {
  let big: Awaited<ReturnType<typeof floor>>;
  beforeAll(async () => {
    big = await floor(20_000);
  });

  it('is the same floor for the same seed, whatever the batch size, and a different one for another seed', async () => {
    const a = await floor(1_500, 'seed-a');
    const b = await floor(1_500, 'seed-a', { batchSize: 400 });
    const c = await floor(1_500, 'seed-b');
    const dump = (sink: MemorySink) =>
      JSON.stringify([...sink.tables].map(([name, table]) => [name, [...table.values()]]));
    expect(dump(b.sink)).toBe(dump(a.sink));
    expect(b.truth.rows).toEqual(a.truth.rows);
    expect(dump(c.sink)).not.toBe(dump(a.sink));
  });

  it('has exactly the leads asked for and the head count of every role', async () => {
    const small = await floor(1_234);
    expect(small.sink.rows('Lead')).toHaveLength(1_234);
    expect(big.sink.rows('Lead')).toHaveLength(20_000);
    const sizes = floorSizes({ leads: 20_000 });
    const titles = groupBy(big.sink.rows('User'), 'Title');
    expect(titles.get('Sales Development Representative')).toHaveLength(sizes.sdrs);
    expect(titles.get('Account Executive')).toHaveLength(sizes.aes);
    expect(titles.get('Sales Coordinator')).toHaveLength(sizes.coordinators);
    expect(titles.get('Sales Engineer')).toHaveLength(sizes.engineers);
    expect(titles.get('Sales Manager')).toHaveLength(1);
    expect(titles.get('Revenue Operations Analyst')).toHaveLength(1);
    expect(titles.get('Integration User')).toHaveLength(1);
    expect(titles.get('Marketing Manager')?.length).toBeGreaterThanOrEqual(2);
    expect(
      new Set(big.sink.rows('User').map((user) => user.TimeZoneSidKey)).size
    ).toBeGreaterThanOrEqual(4);
  });

  it('puts accounts in every bin and leads in every bin', () => {
    const accountBins = groupBy(big.sink.rows('Account'), 'Bin__c');
    const leadBins = groupBy(big.sink.rows('Lead'), 'Bin__c');
    for (const bin of BINS) {
      expect(accountBins.get(bin)?.length ?? 0).toBeGreaterThan(0);
      expect(leadBins.get(bin)?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('gives every account in "Nurture - Active Opportunity" an open opportunity', () => {
    const open = new Set(
      big.sink
        .rows('Opportunity')
        .filter((row) => row.StageName !== 'Closed Won' && row.StageName !== 'Closed Lost')
        .map((row) => row.AccountId)
    );
    const without = big.sink
      .rows('Account')
      .filter((row) => row.Bin__c === 'Nurture - Active Opportunity' && !open.has(row.Id));
    expect(without).toEqual([]);
  });

  it('gives every lead a LeadSource, a segment, a zone, a language, a product and a fame band', () => {
    const incomplete = big.sink
      .rows('Lead')
      .filter(
        (lead) =>
          typeof lead.LeadSource !== 'string' ||
          lead.LeadSource === '' ||
          !['SMB', 'Mid-Market', 'Enterprise'].includes(String(lead.Segment__c)) ||
          !/^(America|Europe)\//.test(String(lead.Time_Zone__c)) ||
          typeof lead.Language__c !== 'string' ||
          typeof lead.Product_Interest__c !== 'string' ||
          !['Unknown', 'Known', 'Famous'].includes(String(lead.Fame_Band__c))
      );
    expect(incomplete).toEqual([]);
    const famous =
      big.sink.rows('Lead').filter((lead) => lead.Fame_Band__c === 'Famous').length / 20_000;
    expect(famous).toBeGreaterThan(0.03);
    expect(famous).toBeLessThan(0.07);
  });

  it('writes only fields the schema has, and every lookup points at an existing record of the right object', () => {
    for (const [objectName, table] of big.sink.tables) {
      const def = schema.find(objectName);
      expect(def).toBeDefined();
      if (def === undefined) continue;
      for (const row of table.values()) {
        for (const [fieldName, value] of Object.entries(row)) {
          if (fieldName === 'Id') continue;
          const field = schema.field(def, fieldName);
          if (field === undefined)
            throw new Error(`${objectName}.${fieldName} is not in the schema`);
          if (field.type !== 'reference' || value === null) continue;
          const target = big.sink.objectOf(String(value));
          if (
            target === undefined ||
            !field.referenceTo.includes(target) ||
            big.sink.get(target, String(value)) === undefined
          ) {
            throw new Error(
              `${objectName}.${fieldName} = ${String(value)} does not point at a ${field.referenceTo.join('/')}`
            );
          }
        }
      }
    }
  });

  it('leaves Queue_Entry__c empty for the engine and writes the sample engine jobs', () => {
    expect(big.sink.rows('Queue_Entry__c')).toHaveLength(0);
    expect(new Set(big.sink.rows('Engine_Job__c').map((job) => job.Type__c))).toEqual(
      new Set([
        'Rebalance',
        'Rerank',
        'Forecast Refresh',
        'Re-entry',
        'Catch Up Sweep',
        'Report',
        'Campaign Reports',
        'Capacity Plan'
      ])
    );
  });

  it('writes the demo types the Demo Calendar books, one needing an engineer, one in the field', () => {
    const types = big.sink.rows('Demo_Type__c');
    expect(types.every((row) => row.Active__c === true && row.Needs_AE__c === true)).toBe(true);
    expect(types.filter((row) => row.Needs_Engineer__c === true)).toHaveLength(1);
    expect(types.filter((row) => row.Field_Meeting__c === true)).toHaveLength(1);
    expect(new Set(types.map((row) => row.Key__c)).size).toBe(types.length);
  });

  it('gives reps capacity in several zones, with a ramping rep at 0.5 and someone on leave now', () => {
    const capacity = big.sink.rows('Rep_Capacity__c');
    expect(new Set(capacity.map((row) => row.Time_Zone__c)).size).toBeGreaterThanOrEqual(4);
    expect(capacity.some((row) => row.Weight__c === 0.5)).toBe(true);
    const today = AS_OF.slice(0, 10);
    expect(
      capacity.some(
        (row) =>
          row.Leave_Start__c !== null &&
          String(row.Leave_Start__c) <= today &&
          String(row.Leave_End__c) >= today
      )
    ).toBe(true);
    for (const row of capacity) expect(String(row.Skills__c)).toContain('English');
  });

  it('seats every rep on stations of their own role: engineers on the Sales Engineer station, never on DEMO', () => {
    // The demo calendar (core/calendar stationRoles) reads a person's calendar role from the
    // Role__c of the stations in Station_Keys__c: an engineer on an Account Executive station
    // would be offered as an AE and drawn as a demo owner.
    const roleOf = new Map(
      big.sink.rows('Station__c').map((s) => [String(s.Key__c), String(s.Role__c)])
    );
    const titleOf = new Map(big.sink.rows('User').map((u) => [String(u.Id), String(u.Title)]));
    const expected: Record<string, string> = {
      'Sales Engineer': 'Sales Engineer',
      'Account Executive': 'Account Executive',
      'Sales Development Representative': 'SDR',
      'Sales Coordinator': 'Coordinator'
    };
    const seen = new Set<string>();
    for (const row of big.sink.rows('Rep_Capacity__c')) {
      const title = titleOf.get(String(row.User__c)) as string;
      const role = expected[title];
      if (role === undefined) continue;
      seen.add(title);
      for (const key of String(row.Station_Keys__c).split(';'))
        expect([title, key, roleOf.get(key)]).toEqual([title, key, role]);
    }
    expect(seen).toEqual(new Set(Object.keys(expected)));
    expect(roleOf.get('SALES_ENGINEERING')).toBe('Sales Engineer');
  });

  it('converts the lead of every won new-customer deal into it (Lead.ConvertedOpportunityId), and no other lead', () => {
    // Object Reference, Lead: IsConverted, ConvertedDate, ConvertedAccountId and
    // ConvertedOpportunityId are set together by lead conversion; Status takes the converted value.
    const leads = big.sink.rows('Lead');
    const converted = leads.filter((lead) => lead.IsConverted === true);
    expect(converted.length).toBeGreaterThan(0);
    // A deal from a lead has the lead's calls and confirmation in its dispositions; a direct
    // deal (an AE's own prospect, generate.ts writeDirectDeals) has no lead to convert.
    const fromLeads = new Set(
      big.sink
        .rows('Disposition__c')
        .filter((row) => row.Lead__c !== null && row.Opportunity__c !== null)
        .map((row) => row.Opportunity__c)
    );
    const wonAll = big.sink
      .rows('Opportunity')
      .filter((o) => o.StageName === 'Closed Won' && o.Type === 'New Customer');
    const wonNew = wonAll.filter((o) => fromLeads.has(o.Id));
    const direct = wonAll.filter((o) => !fromLeads.has(o.Id));
    expect(direct.length).toBeGreaterThan(0);
    expect(direct.every((o) => o.LeadSource === 'Other')).toBe(true);
    expect(new Set(converted.map((lead) => lead.ConvertedOpportunityId))).toEqual(
      new Set(wonNew.map((o) => o.Id))
    );
    expect(converted).toHaveLength(wonNew.length);
    for (const lead of converted) {
      const opportunity = big.sink.get('Opportunity', String(lead.ConvertedOpportunityId));
      expect(lead).toMatchObject({
        Status: 'Closed - Converted',
        ConvertedAccountId: opportunity?.AccountId,
        ConvertedDate: opportunity?.CloseDate,
        LeadSource: opportunity?.LeadSource
      });
      expect(String(lead.CreatedDate) <= String(opportunity?.CreatedDate)).toBe(true);
    }
    for (const lead of leads)
      if (lead.IsConverted !== true)
        expect([lead.ConvertedOpportunityId ?? null, lead.Status]).not.toContain(
          'Closed - Converted'
        );
  });

  it("ends every closed deal in Closed Won or Lost, with history in time order that ends in the deal's stage", () => {
    const history = groupBy(big.sink.rows('OpportunityHistory'), 'OpportunityId');
    const truth = new Map(big.truth.rows.map((row) => [row.opportunityId, row]));
    let pushed = 0;
    for (const opportunity of big.sink.rows('Opportunity')) {
      const rows = history.get(String(opportunity.Id)) ?? [];
      expect(rows.length).toBeGreaterThan(0);
      const times = rows.map((row) => Date.parse(String(row.CreatedDate)));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      const last = rows[rows.length - 1] as FloorRow;
      expect(last.StageName).toBe(opportunity.StageName);
      expect(last.CloseDate).toBe(opportunity.CloseDate);
      expect(Date.parse(String(last.CreatedDate))).toBeLessThan(AS_OF_MS);
      if (new Set(rows.map((row) => row.CloseDate)).size > 1) pushed += 1;
      const known = truth.get(String(opportunity.Id));
      expect(known).toBeDefined();
      const closed =
        opportunity.StageName === 'Closed Won' || opportunity.StageName === 'Closed Lost';
      expect(known?.open).toBe(!closed);
      if (closed) expect(known?.willWin).toBe(opportunity.StageName === 'Closed Won');
      else {
        expect(known?.winProbability).toBeGreaterThan(0);
        expect(known?.winProbability).toBeLessThan(1);
        expect(String(known?.trueCloseDate) >= AS_OF.slice(0, 10)).toBe(true);
      }
    }
    expect(pushed).toBeGreaterThan(0);
  });

  it('clusters closes at quarter ends (the end-of-quarter push)', () => {
    const won = big.sink
      .rows('Opportunity')
      .filter((opportunity) => opportunity.StageName === 'Closed Won');
    const lastTwoWeeks = won.filter((opportunity) => {
      const date = new Date(String(opportunity.CloseDate));
      const quarterEnd = Date.UTC(
        date.getUTCFullYear(),
        Math.floor(date.getUTCMonth() / 3) * 3 + 3,
        1
      );
      return quarterEnd - date.getTime() <= 14 * 86_400_000;
    }).length;
    // Two weeks are 15% of a quarter; the push (30% of closes) lifts the share well above it.
    expect(lastTwoWeeks / won.length).toBeGreaterThan(0.25);
  });

  it('keeps the ground truth out of the org: no written field carries it', () => {
    const written = new Set<string>();
    for (const [objectName, table] of big.sink.tables) {
      for (const row of table.values())
        for (const fieldName of Object.keys(row)) written.add(`${objectName}.${fieldName}`);
    }
    expect([...written].filter((name) => /truth|win_?prob|will_?win/i.test(name))).toEqual([]);
    expect(big.truth.rows.filter((row) => row.open).length).toBeGreaterThan(0);
  });

  it('flags exactly the accounts with an unpaid invoice past due', () => {
    const invoices = groupBy(big.sink.rows('Invoice__c'), 'Account__c');
    const today = AS_OF.slice(0, 10);
    let flagged = 0;
    for (const account of big.sink.rows('Account')) {
      const overdue = (invoices.get(String(account.Id)) ?? []).some(
        (invoice) => invoice.Paid__c === false && String(invoice.Due_Date__c) < today
      );
      expect(account.Has_Overdue_Invoice__c).toBe(overdue);
      if (overdue) {
        flagged += 1;
        expect(account.Bin__c).toBe('Avoid - Current Client');
      }
    }
    expect(flagged).toBeGreaterThan(0);
    const openHigh = big.sink
      .rows('Case')
      .filter((row) => row.Status !== 'Closed' && row.Priority === 'High');
    expect(openHigh.length).toBeGreaterThan(0);
  });

  it('calls leads only on local weekdays 08:00-17:59, numbering attempts 1..n per lead', () => {
    const leads = new Map(big.sink.rows('Lead').map((lead) => [lead.Id, lead]));
    const calls = groupBy(
      big.sink.rows('Disposition__c').filter((row) => row.Attempt_Number__c !== null),
      'Lead__c'
    );
    const problems: string[] = [];
    for (const [leadId, rows] of calls) {
      const lead = leads.get(leadId) as FloorRow;
      const numbers = rows.map((row) => row.Attempt_Number__c).join(',');
      if (numbers !== rows.map((_, index) => index + 1).join(','))
        problems.push(`${leadId}: attempts ${numbers}`);
      if (lead.Attempt_Count__c !== rows.length)
        problems.push(
          `${leadId}: Attempt_Count__c ${String(lead.Attempt_Count__c)} for ${rows.length} calls`
        );
      // First cadence, then at most two rebooking cadences of three calls each.
      if (rows.length > MAX_ATTEMPTS + 3 * 2) problems.push(`${leadId}: ${rows.length} calls`);
      for (const row of rows) {
        const local = localOf(String(lead.Time_Zone__c), Date.parse(String(row.CreatedDate)));
        if (local.hour < 8 || local.hour > 17 || local.weekday === 'Sat' || local.weekday === 'Sun')
          problems.push(`${leadId}: call at ${local.weekday} ${local.hour}h local`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(calls.size).toBeGreaterThan(10_000);
  });

  it('draws contacts and meetings at the rates the behaviour model gives each call (within 4 standard errors)', () => {
    const leads = new Map(big.sink.rows('Lead').map((lead) => [lead.Id, lead]));
    let expectedContacts = 0;
    let varianceContacts = 0;
    let contacts = 0;
    let expectedMeetings = 0;
    let varianceMeetings = 0;
    let meetings = 0;
    const calls = big.sink.rows('Disposition__c').filter((row) => row.Attempt_Number__c !== null);
    for (const call of calls) {
      const lead = leads.get(call.Lead__c) as FloorRow;
      const atMs = Date.parse(String(call.CreatedDate));
      const local = localOf(String(lead.Time_Zone__c), atMs);
      const traits = {
        source: String(lead.LeadSource),
        segment: String(lead.Segment__c),
        inbound: lead.Inbound__c === true,
        fame: lead.Fame_Band__c as FameBand
      };
      const p = contactProbability(model, traits, {
        attempt: Number(call.Attempt_Number__c),
        localHour: local.hour,
        weekday: local.weekday as Weekday,
        minutesSinceCreated: (atMs - Date.parse(String(lead.CreatedDate))) / 60_000
      });
      expectedContacts += p;
      varianceContacts += p * (1 - p);
      const contacted = CONTACT_OUTCOMES.has(String(call.Outcome__c));
      if (!contacted) continue;
      contacts += 1;
      const q = meetingProbability(model, traits);
      expectedMeetings += q;
      varianceMeetings += q * (1 - q);
      if (call.Outcome__c === 'Meeting Booked') meetings += 1;
    }
    expect(calls.length).toBeGreaterThan(50_000);
    expect(Math.abs(contacts - expectedContacts)).toBeLessThan(4 * Math.sqrt(varianceContacts));
    expect(Math.abs(meetings - expectedMeetings)).toBeLessThan(4 * Math.sqrt(varianceMeetings));
    expect(meetings).toBeGreaterThan(100);
  });

  it('holds its integrity invariants for any seed and size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 600 }),
        fc.string({ minLength: 1, maxLength: 8 }),
        async (leads, seed) => {
          const { sink } = await floor(leads, seed);
          expect(sink.rows('Lead')).toHaveLength(leads);
          const accountBins = new Set(sink.rows('Account').map((row) => row.Bin__c));
          for (const bin of BINS) expect(accountBins.has(bin)).toBe(true);
          const ids = new Set(sink.rows('Lead').map((row) => row.Id));
          for (const row of sink.rows('Disposition__c'))
            if (row.Lead__c !== null && row.Lead__c !== undefined)
              expect(ids.has(row.Lead__c)).toBe(true);
          for (const row of sink.rows('CampaignMember')) expect(ids.has(row.LeadId)).toBe(true);
        }
      ),
      { numRuns: 8 }
    );
  });
});

function localOf(zone: string, utcMs: number): { hour: number; weekday: string } {
  const local = new Date(utcMs + exactOffsetMinutes(zone, utcMs) * 60_000);
  return {
    hour: local.getUTCHours(),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][local.getUTCDay()] as string
  };
}
