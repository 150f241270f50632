/**
 * Records the browser tests write into the local org through its REST API before they open a
 * console, each standing in for a part of the product that is not running in the test:
 *
 * - Queue_Entry__c: the engine's ranking writes these; here the test ranks some of the SDR's
 *   working leads itself.
 * - Stage_Event__c: record-triggered flows write these on Salesforce; the local org runs no
 *   flows, and the demo floor generates none.
 * - Assignment__c: the engine's assignment ledger.
 * - Forecast__c / Forecast_Line__c: the engine's forecast job. The figures are derived from the
 *   org's own opportunities (closed won to date, open pipeline by close date) with a fixed
 *   band, so they are plausible; the test checks the console shows exactly what is stored.
 */
import type { Connection } from 'jsforce';
import { queryAll } from './demoOrg';

type Row = Record<string, unknown>;

async function insert(conn: Connection, objectName: string, rows: Row[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < rows.length; start += 200) {
    const results = await conn
      .sobject(objectName)
      .create(rows.slice(start, start + 200), { allOrNone: true });
    for (const result of results) {
      if (!result.success)
        throw new Error(`seeding ${objectName} failed: ${JSON.stringify(result.errors)}`);
      ids.push(result.id as string);
    }
  }
  return ids;
}

export interface SeededQueue {
  entryIds: string[];
  leadIds: string[];
}

/** The queue purpose of a lead in a bin: what the engine's re-entry and follow-up rules give. */
const PURPOSE_BY_BIN: Record<string, string> = {
  Cold: 'First Touch',
  Working: 'Follow Up',
  'Nurture - Check Back Quarterly': 'Nurture Check Back',
  'Nurture - Active Opportunity': 'Follow Up'
};

/**
 * Open queue entries for the SDR on leads the SDR owns that may be called (not in an Avoid or
 * Dead bin), ranked 1..count: working leads first, then quarterly check backs.
 */
export async function seedQueueEntries(
  conn: Connection,
  sdrId: string,
  count: number
): Promise<SeededQueue> {
  const bins = Object.keys(PURPOSE_BY_BIN)
    .map((bin) => `'${bin}'`)
    .join(', ');
  const leads = await queryAll<{ Id: string; Bin__c: string }>(
    conn,
    `SELECT Id, Bin__c FROM Lead WHERE OwnerId = '${sdrId}' AND IsConverted = false AND DoNotCall = false AND Phone != null AND Bin__c IN (${bins}) ORDER BY Bin__c DESC, Id LIMIT ${count}`
  );
  if (leads.length < count) {
    throw new Error(
      `the demo floor gave the SDR ${leads.length} callable leads; the test needs ${count}: raise the floor's lead count`
    );
  }
  const now = Date.now();
  const rows = leads.map((lead, index) => {
    const purpose = PURPOSE_BY_BIN[lead.Bin__c] as string;
    return {
      Entry_Key__c: `browser-test:${lead.Id}`,
      SDR__c: sdrId,
      Lead__c: lead.Id,
      Asset_Id__c: lead.Id,
      Rank__c: index + 1,
      Purpose__c: purpose,
      Guidance_Key__c: purpose.toUpperCase().replace(/ /g, '_'),
      Attempt_Number__c: (index % 3) + 1,
      Due_At__c: new Date(now + index * 15 * 60_000).toISOString(),
      Status__c: 'Open',
      Ranked_At__c: new Date(now).toISOString()
    };
  });
  const entryIds = await insert(conn, 'Queue_Entry__c', rows);
  return { entryIds, leadIds: leads.map((lead) => lead.Id) };
}

const HOUR = 3_600_000;

/**
 * Station history: stays at SDR Calling that ended during the window (leads that moved on to a
 * nurture bin), stays at Demo that ended (opportunities now at Proposal), and the open stays of
 * the record the Stage Timer opens first (the lead longest at its station).
 */
export async function seedStageEvents(
  conn: Connection,
  windowDays: number
): Promise<{ closedStays: number; timelineLeadId: string }> {
  const now = Date.now();
  const rows: Row[] = [];
  const stay = (
    asset: { Id: string },
    type: 'Lead' | 'Opportunity',
    station: string,
    exitedAgoHours: number,
    minutes: number
  ): Row => {
    const exited = now - exitedAgoHours * HOUR;
    return {
      Asset_Id__c: asset.Id,
      Asset_Type__c: type,
      [type === 'Lead' ? 'Lead__c' : 'Opportunity__c']: asset.Id,
      Kind__c: 'Station',
      To_Value__c: station,
      Entered_At__c: new Date(exited - minutes * 60_000).toISOString(),
      Exited_At__c: new Date(exited).toISOString(),
      Duration_Minutes__c: minutes
    };
  };
  const windowHours = windowDays * 24;
  const nurtured = await queryAll<{ Id: string }>(
    conn,
    "SELECT Id FROM Lead WHERE Bin__c = 'Nurture - Check Back Quarterly' ORDER BY Id LIMIT 40"
  );
  nurtured.forEach((lead, index) =>
    rows.push(
      stay(lead, 'Lead', 'SDR_CALL', 1 + ((index * 7) % (windowHours - 2)), 30 * (2 + (index % 40)))
    )
  );
  const proposals = await queryAll<{ Id: string }>(
    conn,
    "SELECT Id FROM Opportunity WHERE Station__r.Key__c = 'PROPOSAL' ORDER BY Id LIMIT 10"
  );
  proposals.forEach((opportunity, index) =>
    rows.push(
      stay(
        opportunity,
        'Opportunity',
        'DEMO',
        2 + ((index * 11) % (windowHours - 3)),
        60 * (20 + index * 6)
      )
    )
  );
  const [longest] = await queryAll<{
    Id: string;
    OwnerId: string;
    Station__r: { Key__c: string };
    Station_Entered_At__c: string;
    Bin__c: string;
    Bin_Entered_At__c: string | null;
  }>(
    conn,
    'SELECT Id, OwnerId, Station__r.Key__c, Station_Entered_At__c, Bin__c, Bin_Entered_At__c FROM Lead WHERE Station__c != null AND IsConverted = false ORDER BY Station_Entered_At__c ASC NULLS LAST LIMIT 1'
  );
  if (longest === undefined) throw new Error('the demo floor has no lead at a station');
  rows.push({
    Asset_Id__c: longest.Id,
    Asset_Type__c: 'Lead',
    Lead__c: longest.Id,
    Kind__c: 'Station',
    From_Value__c: null,
    To_Value__c: longest.Station__r.Key__c,
    Entered_At__c: longest.Station_Entered_At__c,
    Exited_At__c: null,
    Changed_By__c: longest.OwnerId
  });
  if (longest.Bin_Entered_At__c !== null) {
    rows.push({
      Asset_Id__c: longest.Id,
      Asset_Type__c: 'Lead',
      Lead__c: longest.Id,
      Kind__c: 'Bin',
      From_Value__c: 'Cold',
      To_Value__c: longest.Bin__c,
      Entered_At__c: longest.Bin_Entered_At__c,
      Exited_At__c: null,
      Changed_By__c: longest.OwnerId
    });
  }
  await insert(conn, 'Stage_Event__c', rows);
  return { closedStays: nurtured.length + proposals.length, timelineLeadId: longest.Id };
}

/**
 * Ledger rows of the last days: within each stratum the reps take turns (a permuted block in a
 * fixed order), one row in ten is a manual Override, which the equality report leaves out.
 */
export async function seedAssignments(
  conn: Connection,
  repIds: string[],
  stationId: string
): Promise<number> {
  const strata = ['Web|SMB', 'Purchased List|Mid-Market', 'Trade Show|Enterprise'];
  const leads = await queryAll<{ Id: string }>(conn, 'SELECT Id FROM Lead ORDER BY Id LIMIT 100');
  const now = Date.now();
  const rows = leads.map((lead, index) => {
    const turn = Math.floor(index / strata.length);
    return {
      Ledger_Key__c: `browser-test:${lead.Id}`,
      Asset_Id__c: lead.Id,
      Asset_Type__c: 'Lead',
      Rep__c: repIds[turn % repIds.length],
      Station__c: stationId,
      Stratum__c: strata[index % strata.length],
      Block__c: Math.floor(turn / repIds.length),
      Block_Size__c: repIds.length,
      Draw__c: index,
      Seed__c: 'browser-test',
      Method__c: index % 10 === 9 ? 'Override' : 'Permuted Block',
      Assigned_At__c: new Date(now - (index % 5) * 24 * HOUR - HOUR).toISOString()
    };
  });
  await insert(conn, 'Assignment__c', rows);
  return rows.length;
}

function monthStart(offset: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1))
    .toISOString()
    .slice(0, 10);
}

async function sum(conn: Connection, soql: string): Promise<number> {
  const [row] = await queryAll<{ total: number | null }>(conn, soql);
  return Number(row?.total ?? 0);
}

/**
 * Monthly forecasts from three months back to two ahead, and their lines by rep: the average
 * month of closed won bookings over the last year plus a share of the open pipeline that
 * closes in the month, in a P10-P90 band; closed to date is what the org has won in the month.
 */
export async function seedForecasts(conn: Connection): Promise<number> {
  if ((await conn.query('SELECT COUNT() FROM Forecast__c')).totalSize > 0) return 0;
  const offsets = [-3, -2, -1, 0, 1, 2];
  const today = new Date().toISOString().slice(0, 10);
  const baseline =
    (await sum(
      conn,
      `SELECT SUM(Amount) total FROM Opportunity WHERE IsWon = true AND CloseDate >= ${monthStart(-12)} AND CloseDate < ${monthStart(0)}`
    )) / 12;
  const forecasts: Row[] = [];
  for (const [index, offset] of offsets.entries()) {
    const start = monthStart(offset);
    const end = monthStart(offset + 1);
    const closed = await sum(
      conn,
      `SELECT SUM(Amount) total FROM Opportunity WHERE IsWon = true AND CloseDate >= ${start} AND CloseDate < ${end}`
    );
    const open = await sum(
      conn,
      `SELECT SUM(Amount) total FROM Opportunity WHERE IsClosed = false AND CloseDate >= ${start} AND CloseDate < ${end}`
    );
    const p50 = baseline + open * 0.3;
    forecasts.push({
      Key__c: `browser-test:Month:${start}`,
      Period_Type__c: 'Month',
      Period_Start__c: start,
      As_Of__c: today,
      Method__c: 'Run rate plus weighted pipeline (test seed)',
      Generated_At__c: new Date(Date.now() - (offsets.length - index) * 60_000).toISOString(),
      Backtest_WAPE__c: 14 + index,
      Backtest_Coverage__c: 76 + index,
      Expected__c: Math.round(p50 * 1.05),
      P10__c: Math.round(p50 * 0.55),
      P50__c: Math.round(p50),
      P90__c: Math.round(p50 * 1.6),
      Closed_To_Date__c: Math.round(closed)
    });
  }
  const ids = await insert(conn, 'Forecast__c', forecasts);
  const owners = await queryAll<{ Owner: { Name: string } }>(
    conn,
    'SELECT Owner.Name FROM Opportunity WHERE IsClosed = false ORDER BY Owner.Name LIMIT 2000'
  );
  const names = [...new Set(owners.map((row) => row.Owner.Name))].slice(0, 4);
  const shares = [0.4, 0.3, 0.2, 0.1];
  const lines: Row[] = [];
  ids.forEach((forecastId, index) => {
    const forecast = forecasts[index] as Record<string, number | string>;
    names.forEach((name, rank) => {
      const share = shares[rank] as number;
      const part = (field: string): number => Math.round(Number(forecast[field]) * share);
      lines.push({
        Forecast__c: forecastId,
        Key__c: `browser-test:Month:${String(forecast.Period_Start__c)}:Rep:${name}`,
        Dimension__c: 'Rep',
        Dimension_Value__c: name,
        Expected__c: part('Expected__c'),
        P10__c: part('P10__c'),
        P50__c: part('P50__c'),
        P90__c: part('P90__c'),
        Closed_To_Date__c: part('Closed_To_Date__c')
      });
    });
  });
  await insert(conn, 'Forecast_Line__c', lines);
  return forecasts.length;
}
