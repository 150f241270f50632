/**
 * The demo sales floor: writes a complete, seeded org into a sink, streaming leads and their
 * history in batches so that a 1,000,000-lead floor needs memory for one batch (plus the
 * accounts of companies that reached a demo), not for the whole floor.
 */
import { AccountBook, type AccountEntry } from './accounts';
import { loadBehaviourModel } from './behaviourModel';
import { campaignCatalog, campaignRow } from './campaigns';
import { DealPlanner, type DealClose, type DealDraft } from './deals';
import { engineJobRows } from './jobs';
import { demoTypeRows } from './demoTypes';
import { LeadSimulator, type LeadDraft, type Stations } from './leads';
import { loadLine, ruleRows, stationRows } from './line';
import { floorSizes, parseFloorOptions, type FloorOptionsInput } from './options';
import { LEAD_ZONES, PRODUCTS, companyName, segmentByFame } from './catalog';
import type { FameBand } from './behaviourModel';
import { createFloorRng, weighted, type FloorRng } from './random';
import { casesFor, invoicesFor } from './service';
import type { FloorRow, FloorSink, OpportunityWithHistory } from './sink';
import { StageHistorySink } from './stageHistory';
import { SkillIndex, buildTeam, capacityRows, userRow, type Member, type Role } from './team';
import { DAY, addWorkdays, isoDate, isoDateTime, localToUtc } from './timeZones';
import { MemoryTruth, type FloorManifest, type OpportunityTruth, type TruthSink } from './truth';

const HISTORY_DAYS = 730;
const DIRECT_ZONES = weighted(LEAD_ZONES);
/** Rows per insert call for objects written outside the lead batches. */
const WRITE_CHUNK = 5_000;

export interface FloorSummary {
  manifest: FloorManifest;
  /** Usernames to log in with, by role. */
  logins: {
    manager: string;
    sdr: string;
    coordinator: string;
    accountExecutive: string;
    revops: string;
    marketing: string;
    integration: string;
  };
}

export interface GenerateHooks {
  /** Called after each lead batch (progress for long floors). */
  onProgress?: (done: number, total: number) => void;
  /** The wall clock, for the manifest's generatedAt only (never for the floor itself). */
  now?: () => Date;
}

export async function generateDemoFloor(
  floorSink: FloorSink,
  input: FloorOptionsInput,
  truth: TruthSink = new MemoryTruth(),
  hooks: GenerateHooks = {}
): Promise<FloorSummary> {
  const options = parseFloorOptions(input);
  // Writes the stage timers' history (Stage_Event__c) beside the records it follows.
  const sink = new StageHistorySink(floorSink);
  const model = loadBehaviourModel(options.behaviourModelPath);
  const line = loadLine(options.linePath);
  const asOfMs = Math.floor(Date.parse(options.asOf) / 60_000) * 60_000;
  const root = createFloorRng(`${options.seed}`);
  const counts: Record<string, number> = {};
  const write = async (objectName: string, rows: FloorRow[]): Promise<string[]> => {
    if (rows.length === 0) return [];
    const ids: string[] = [];
    for (let start = 0; start < rows.length; start += WRITE_CHUNK) {
      ids.push(...(await sink.insert(objectName, rows.slice(start, start + WRITE_CHUNK))));
    }
    counts[objectName] = (counts[objectName] ?? 0) + rows.length;
    return ids;
  };
  const writeOpportunities = async (items: OpportunityWithHistory[]): Promise<string[]> => {
    if (items.length === 0) return [];
    const ids = await sink.insertOpportunities(items);
    counts.Opportunity = (counts.Opportunity ?? 0) + items.length;
    counts.OpportunityHistory =
      (counts.OpportunityHistory ?? 0) + items.reduce((sum, item) => sum + item.history.length, 0);
    return ids;
  };

  // People.
  const team = buildTeam(root.fork('team'), floorSizes(options));
  const userIds = await write('User', team.map(userRow));
  team.forEach((member, index) => (member.id = userIds[index] as string));
  const byRole = (role: Role): Member[] => team.filter((member) => member.role === role);
  const one = (role: Role): Member => byRole(role)[0] as Member;

  // The line.
  const stationIds = await write('Station__c', stationRows(line));
  const stationByKey = new Map(
    line.stations.map((station, index) => [station.Key__c, stationIds[index] as string])
  );
  await write('Station_Rule__c', ruleRows(line, stationByKey));
  const stations = requireStations(stationByKey);
  await write('Rep_Capacity__c', capacityRows(root.fork('capacity'), team, line, asOfMs));

  // Campaigns.
  const campaignRng = root.fork('campaigns');
  const specs = campaignCatalog(asOfMs - HISTORY_DAYS * DAY, asOfMs);
  const marketing = byRole('Marketing');
  const campaignIds = await write(
    'Campaign',
    specs.map((spec, index) =>
      campaignRow(spec, (marketing[index % marketing.length] as Member).id, asOfMs, campaignRng)
    )
  );
  const campaignByKey = new Map(
    specs.map((spec, index) => [spec.key, campaignIds[index] as string])
  );

  // Leads and everything that happened to them, batch by batch.
  const deals = new DealPlanner(model, asOfMs, stations);
  const simulator = new LeadSimulator({
    model,
    asOfMs,
    stations,
    sdrs: new SkillIndex(byRole('SDR')),
    aes: new SkillIndex(byRole('Account Executive')),
    coordinators: byRole('Coordinator'),
    unassignedOwnerId: one('Integration').id,
    deals
  });
  const accounts = new AccountBook(
    root.fork('accounts'),
    asOfMs,
    stations,
    byRole('Onboarding'),
    byRole('Service')
  );
  const leadRng = root.fork('leads');
  for (let done = 0; done < options.leads;) {
    const size = Math.min(options.batchSize, options.leads - done);
    const drafts: LeadDraft[] = [];
    for (let i = 0; i < size; i += 1) drafts.push(simulator.simulate(leadRng));
    await writeLeadBatch(drafts, {
      write,
      writeOpportunities,
      accounts,
      deals,
      truth,
      campaignByKey,
      asOfMs
    });
    done += size;
    hooks.onProgress?.(done, options.leads);
  }

  // Accounts outside the lead flow, then every customer's invoices and cases.
  const perBin = Math.max(5, Math.round(options.leads / 400));
  const legacyCustomers = Math.max(25, Math.round(options.leads / 100));
  const standalone = accounts.addStandalone(perBin, legacyCustomers, {
    unassigned: one('Integration').id,
    aes: byRole('Account Executive')
  });
  await writeDirectDeals(root.fork('upcoming'), Math.max(2, Math.round(options.leads / 2_000)), {
    write,
    writeOpportunities,
    accounts,
    deals,
    truth,
    asOfMs,
    stations,
    aes: byRole('Account Executive')
  });
  const serviceRng = root.fork('service');
  const invoices: FloorRow[][] = [];
  const cases: FloorRow[][] = [];
  const customers = accounts.all.filter((entry) => entry.state.customerSinceMs !== null);
  // Invoices decide the overdue flag, so they are planned before the accounts are written.
  const invoicePlans = customers.map((entry) => ({
    entry,
    rows: invoicesFor(serviceRng, entry, asOfMs)
  }));
  await insertAccounts(standalone, accounts, write);
  for (const plan of invoicePlans) {
    for (const row of plan.rows) row.Account__c = plan.entry.id;
    invoices.push(plan.rows);
  }
  const forceEvery = Math.max(
    1,
    Math.floor(customers.length / Math.max(3, Math.round(customers.length * 0.03)))
  );
  customers.forEach((entry, index) =>
    cases.push(casesFor(serviceRng, entry, asOfMs, index % forceEvery === 0))
  );
  const changed = accounts.changed();
  for (let start = 0; start < changed.length; start += WRITE_CHUNK) {
    const slice = changed.slice(start, start + WRITE_CHUNK);
    await sink.update(
      'Account',
      slice.map((entry) => accounts.updateRow(entry))
    );
    accounts.markWritten(slice);
  }
  await write('Invoice__c', invoices.flat());
  await write('Case', cases.flat());
  await writeExpansions(root.fork('expansions'), customers, {
    write,
    writeOpportunities,
    deals,
    truth,
    asOfMs,
    stations,
    aes: byRole('Account Executive')
  });

  // Engine jobs (definitions only) and an A/B test ready to start; Queue_Entry__c stays empty.
  await write('Engine_Job__c', engineJobRows());
  await write('Demo_Type__c', demoTypeRows());
  const webNow = specs.filter((spec) => spec.key.startsWith('WEB:')).at(-1);
  if (webNow !== undefined) {
    await write('Campaign_Test__c', [
      {
        Campaign__c: campaignByKey.get(webNow.key) ?? null,
        Variants__c: 'A;B',
        Allocation__c: '1;1',
        Metric__c: 'Meeting',
        Status__c: 'Draft',
        Seed__c: `ab-${options.seed}`
      }
    ]);
  }

  const stageEvents = await sink.finish();
  if (stageEvents > 0) counts.Stage_Event__c = stageEvents;
  const manifest: FloorManifest = {
    seed: String(options.seed),
    leads: options.leads,
    asOf: new Date(asOfMs).toISOString(),
    generatedAt: (hooks.now?.() ?? new Date(asOfMs)).toISOString(),
    modelVersion: model.version,
    counts
  };
  truth.setManifest(manifest);
  return {
    manifest,
    logins: {
      manager: one('Manager').username,
      sdr: one('SDR').username,
      coordinator: one('Coordinator').username,
      accountExecutive: one('Account Executive').username,
      revops: one('RevOps').username,
      marketing: one('Marketing').username,
      integration: one('Integration').username
    }
  };
}

interface BatchContext {
  write: (objectName: string, rows: FloorRow[]) => Promise<string[]>;
  writeOpportunities: (items: OpportunityWithHistory[]) => Promise<string[]>;
  accounts: AccountBook;
  deals: DealPlanner;
  truth: TruthSink;
  campaignByKey: ReadonlyMap<string, string>;
  asOfMs: number;
}

async function writeLeadBatch(drafts: readonly LeadDraft[], ctx: BatchContext): Promise<void> {
  // Accounts and opportunities of the batch's deals come first: a converted lead names them.
  const withDeals: Array<{ index: number; deal: DealDraft; account: AccountEntry }> = [];
  drafts.forEach((draft, index) => {
    if (draft.deal !== null)
      withDeals.push({ index, deal: draft.deal, account: ctx.accounts.merge(draft.deal) });
  });
  await insertAccounts(ctx.accounts.takePending(), ctx.accounts, ctx.write);
  const opportunityIds = await ctx.writeOpportunities(
    withDeals.map(({ deal, account }) => ({
      row: ctx.deals.opportunityRow(deal, account.id),
      history: ctx.deals.historyRows(deal)
    }))
  );
  const truths: OpportunityTruth[] = [];
  const dealOf = new Map<number, { opportunityId: string; accountId: string }>();
  withDeals.forEach(({ index, deal, account }, position) => {
    const opportunityId = opportunityIds[position] as string;
    dealOf.set(index, { opportunityId, accountId: account.id });
    truths.push(truthOf(deal, opportunityId));
  });
  ctx.truth.add(truths);

  // A converted lead points at what it was converted into (Lead.ConvertedOpportunityId,
  // ConvertedAccountId). The floor has no contacts, so ConvertedContactId stays empty.
  drafts.forEach((draft, index) => {
    const link = dealOf.get(index);
    if (draft.row.IsConverted !== true) return;
    if (link === undefined) throw new Error('a converted lead has no deal to point at');
    draft.row.ConvertedOpportunityId = link.opportunityId;
    draft.row.ConvertedAccountId = link.accountId;
  });
  const leadIds = await ctx.write(
    'Lead',
    drafts.map((draft) => draft.row)
  );

  const members: FloorRow[] = [];
  drafts.forEach((draft, index) => {
    const campaignId =
      draft.campaignKey === null ? undefined : ctx.campaignByKey.get(draft.campaignKey);
    if (campaignId === undefined) return;
    members.push({
      CampaignId: campaignId,
      LeadId: leadIds[index] as string,
      Status: draft.memberStatus,
      CreatedDate: draft.row.CreatedDate as string
    });
  });
  await ctx.write('CampaignMember', members);

  const dispositions: FloorRow[] = [];
  drafts.forEach((draft, index) => {
    const leadId = leadIds[index] as string;
    const link = dealOf.get(index);
    for (const { row, deal } of draft.dispositions) {
      row.Lead__c = leadId;
      row.Asset_Id__c = deal && link !== undefined ? link.opportunityId : leadId;
      row.Opportunity__c = deal && link !== undefined ? link.opportunityId : null;
      row.Account__c = deal && link !== undefined ? link.accountId : null;
      dispositions.push(row);
    }
  });
  await ctx.write('Disposition__c', dispositions);
}

async function insertAccounts(
  entries: AccountEntry[],
  book: AccountBook,
  write: BatchContext['write']
): Promise<void> {
  if (entries.length === 0) return;
  const ids = await write(
    'Account',
    entries.map((entry) => book.row(entry))
  );
  entries.forEach((entry, index) => (entry.id = ids[index] as string));
  book.markWritten(entries);
}

function requireStations(byKey: ReadonlyMap<string, string>): Stations {
  const get = (key: keyof Stations): string => {
    const id = byKey.get(key);
    if (id === undefined)
      throw new Error(
        `the line has no station ${key}; the demo floor needs the stations of config/default-line.json`
      );
    return id;
  };
  return {
    SDR_CALL: get('SDR_CALL'),
    COORDINATE: get('COORDINATE'),
    DEMO: get('DEMO'),
    PROPOSAL: get('PROPOSAL'),
    ONBOARDING: get('ONBOARDING'),
    SERVICE: get('SERVICE')
  };
}

/** Chance per customer-year of an upgrade opportunity (assumption, docs/demo-floor.md). */
const EXPANSION_PER_YEAR = 0.35;

async function writeExpansions(
  rng: FloorRng,
  customers: readonly AccountEntry[],
  ctx: Pick<BatchContext, 'write' | 'writeOpportunities' | 'deals' | 'truth' | 'asOfMs'> & {
    stations: Stations;
    aes: readonly Member[];
  }
): Promise<void> {
  const drafts: Array<{ deal: DealDraft; close: DealClose | null; account: AccountEntry }> = [];
  const windowStart = ctx.asOfMs - HISTORY_DAYS * DAY;
  for (const account of customers) {
    const since = account.state.customerSinceMs ?? ctx.asOfMs;
    for (
      let yearStart = Math.max(since + 180 * DAY, windowStart);
      yearStart < ctx.asOfMs;
      yearStart += 365 * DAY
    ) {
      if (!rng.chance(EXPANSION_PER_YEAR)) continue;
      const createdMs = Math.floor((yearStart + rng.next() * 300 * DAY) / 60_000) * 60_000;
      if (createdMs >= ctx.asOfMs) continue;
      const { deal, close } = ctx.deals.expansion(rng, {
        company: account.name,
        segment: account.segment,
        zoneInfo: account.zoneInfo,
        product: rng.pick(PRODUCTS),
        ownerId: rng.pick(ctx.aes).id,
        createdMs
      });
      drafts.push({ deal, close, account });
    }
  }
  for (let start = 0; start < drafts.length; start += WRITE_CHUNK) {
    const slice = drafts.slice(start, start + WRITE_CHUNK);
    const ids = await ctx.writeOpportunities(
      slice.map(({ deal, account }) => ({
        row: ctx.deals.opportunityRow(deal, account.id),
        history: ctx.deals.historyRows(deal)
      }))
    );
    await ctx.write('Disposition__c', closeDispositions(rng, slice, ids, ctx.stations.PROPOSAL));
    ctx.truth.add(slice.map(({ deal }, index) => truthOf(deal, ids[index] as string)));
  }
}

function truthOf(deal: DealDraft, opportunityId: string): OpportunityTruth {
  return {
    opportunityId,
    open: !deal.closed,
    segment: deal.traits.segment,
    stage: deal.stage,
    amount: deal.amount,
    winProbability: deal.closed ? (deal.won ? 1 : 0) : deal.truth.winProbability,
    trueCloseDate: isoDate(deal.closed ? deal.closeDayMs : deal.truth.trueCloseMs),
    willWin: deal.closed ? deal.won : deal.truth.willWin,
    cycleStart: new Date(deal.truth.cycleStartMs).toISOString()
  };
}

/**
 * Direct deals: AEs also open deals for prospects that never were leads (their own network,
 * referrals straight to sales), with source Other and the demo booked at once. They arrive as a
 * steady stream over the two years, like every other deal, and run their course; the stream is
 * drawn until `openAtAsOf` of them are still open on the as-of date (so the "Nurture - Active
 * Opportunity" bin has accounts on any floor). The closed ones are the history of the same kind
 * of deal: their accounts follow the outcome (customer, or check back), as a lead's do.
 */
async function writeDirectDeals(
  rng: FloorRng,
  openAtAsOf: number,
  ctx: Pick<
    BatchContext,
    'write' | 'writeOpportunities' | 'accounts' | 'deals' | 'truth' | 'asOfMs'
  > & { stations: Stations; aes: readonly Member[] }
): Promise<void> {
  const drafts: Array<{ deal: DealDraft; close: DealClose | null; account: AccountEntry }> = [];
  const firstDay = Math.floor(ctx.asOfMs / DAY) - HISTORY_DAYS;
  let open = 0;
  // Bounded: a deal opened in the last weeks is almost surely still open.
  for (let tries = 0; open < openAtAsOf && tries < openAtAsOf * 1_000; tries += 1) {
    const fame: FameBand = rng.chance(0.1) ? 'Known' : 'Unknown';
    const segment = segmentByFame[fame].draw(rng);
    const zoneInfo = DIRECT_ZONES.draw(rng);
    const day = addWorkdays(firstDay + rng.int(0, HISTORY_DAYS - 1), 0);
    const createdMs = localToUtc(zoneInfo.zone, day, rng.int(9 * 60, 17 * 60 - 1));
    const demoMs = localToUtc(
      zoneInfo.zone,
      addWorkdays(day + 1, rng.int(0, 6)),
      rng.int(9, 16) * 60
    );
    const ownerId = rng.pick(ctx.aes).id;
    const product = rng.pick(PRODUCTS);
    if (createdMs >= ctx.asOfMs) continue;
    const { deal, close } = ctx.deals.direct(rng, {
      company: companyName(rng, fame),
      traits: { source: 'Other', segment, inbound: false, fame },
      product,
      listName: null,
      zoneInfo,
      createdMs,
      ae: { id: ownerId },
      demoMs
    });
    if (!deal.closed) open += 1;
    drafts.push({ deal, close, account: ctx.accounts.merge(deal) });
  }
  await insertAccounts(ctx.accounts.takePending(), ctx.accounts, ctx.write);
  for (let start = 0; start < drafts.length; start += WRITE_CHUNK) {
    const slice = drafts.slice(start, start + WRITE_CHUNK);
    const ids = await ctx.writeOpportunities(
      slice.map(({ deal, account }) => ({
        row: ctx.deals.opportunityRow(deal, account.id),
        history: ctx.deals.historyRows(deal)
      }))
    );
    await ctx.write('Disposition__c', closeDispositions(rng, slice, ids, ctx.stations.PROPOSAL));
    ctx.truth.add(slice.map(({ deal }, index) => truthOf(deal, ids[index] as string)));
  }
}

/** The close of each deal that closed after its demo, as the PROPOSAL station records it. */
function closeDispositions(
  rng: FloorRng,
  slice: ReadonlyArray<{ deal: DealDraft; close: DealClose | null; account: AccountEntry }>,
  ids: readonly string[],
  proposalStation: string
): FloorRow[] {
  const rows: FloorRow[] = [];
  slice.forEach(({ deal, close, account }, index) => {
    const opportunityId = ids[index] as string;
    if (close === null) return;
    rows.push({
      Lead__c: null,
      Purpose__c: null,
      Attempt_Number__c: null,
      Next_Action_At__c: null,
      Account__c: account.id,
      Opportunity__c: opportunityId,
      Asset_Id__c: opportunityId,
      Station__c: proposalStation,
      Rep__c: deal.ownerId,
      Outcome__c: close.won ? 'Closed Won' : 'Closed Lost',
      Reason_Code__c: close.reason,
      Duration_Seconds__c: rng.int(900, 2400),
      Processed_At__c: isoDateTime(close.closedMs + rng.int(1, 20) * 1000),
      CreatedDate: isoDateTime(close.closedMs)
    });
  });
  return rows;
}
