import defaultLine from '../../../../config/default-line.json';
import { dispositionFromRecord } from './records';
import { moveForDisposition, type AssetState, type Disposition, type Move } from './move';
import { dueForReentry } from './reentry';
import { indexRules, rulesFromConfig, rulesFromRecords } from './rules';

const NOW = new Date('2024-05-06T15:00:00Z');
const rules = indexRules(rulesFromConfig(defaultLine));
const SDR = '005000000000000001';
const AE = '005000000000000002';

function lead(overrides: Partial<AssetState> = {}): AssetState {
  return { id: '00Q000000000000001', type: 'Lead', ownerId: SDR, bookedById: null, bin: 'Working', station: 'SDR_CALL', isCustomer: false, isDuplicate: false, ...overrides };
}

function disposition(outcome: Disposition['outcome'], station = 'SDR_CALL', overrides: Partial<Disposition> = {}): Disposition {
  return { id: 'a0D000000000001', assetId: '00Q000000000000001', assetType: 'Lead', station, repId: SDR, outcome, nextActionAt: null, processedAt: null, ...overrides };
}

function move(d: Disposition, asset: AssetState): Move {
  const result = moveForDisposition(d, asset, rules, NOW);
  if (result.kind !== 'move') throw new Error(`expected a move, got ${result.reason}`);
  return result;
}

describe('movement by station rules (config/default-line.json)', () => {
  it('moves forward: a booked meeting goes to coordination with the same owner', () => {
    const m = move(disposition('Meeting Booked'), lead());
    expect(m.to).toEqual({ station: 'COORDINATE', bin: 'Working', ownerId: SDR });
    expect(m.owner).toEqual({ rule: 'Keep', needsAssignment: false });
    expect(m.ruleKey).toBe('SDR_CALL:Meeting Booked');
    expect(m.processedAt).toBe(NOW.toISOString());
  });

  it('moves forward with the owner left to assignment at the next station', () => {
    const m = move(disposition('Confirmed', 'COORDINATE'), lead({ station: 'COORDINATE' }));
    expect(m.to).toEqual({ station: 'DEMO', bin: 'Nurture - Active Opportunity', ownerId: null });
    expect(m.owner).toEqual({ rule: 'Assign', needsAssignment: true });
  });

  it('moves backwards: a no-show returns to the SDR who booked it, with a ledger row', () => {
    const opp: AssetState = { id: '006000000000000001', type: 'Opportunity', ownerId: AE, bookedById: SDR, bin: 'Nurture - Active Opportunity', station: 'DEMO', isCustomer: false, isDuplicate: false };
    const m = move(disposition('No Show', 'DEMO', { assetId: opp.id, assetType: 'Opportunity' }), opp);
    expect(m.to).toEqual({ station: 'SDR_CALL', bin: 'Working', ownerId: SDR });
    expect(m.owner.rule).toBe('Return To Booker');
    expect(m.ledgerRow).toMatchObject({ method: 'Return To Booker', repId: SDR, station: 'SDR_CALL', ledgerKey: `SDR_CALL:${opp.id}:d-a0D000000000001`, block: null });
  });

  it('falls back to assignment when nobody is recorded as the booker', () => {
    const opp: AssetState = { id: '006000000000000001', type: 'Opportunity', ownerId: AE, bookedById: null, bin: 'Nurture - Active Opportunity', station: 'DEMO', isCustomer: false, isDuplicate: false };
    const m = move(disposition('No Show', 'DEMO'), opp);
    expect(m.owner).toEqual({ rule: 'Assign', needsAssignment: true });
    expect(m.ledgerRow).toBeNull();
    expect(m.notes.join()).toMatch(/Booked_By__c/);
  });

  it('sends Nurture to Check Back Quarterly, re-entering after 90 days', () => {
    const m = move(disposition('Nurture'), lead());
    expect(m.to).toEqual({ station: null, bin: 'Nurture - Check Back Quarterly', ownerId: SDR });
    expect(m.nextActionAt).toBe('2024-08-04T15:00:00.000Z');
  });

  it('sends Not Interested to Dead Opportunity with no re-entry', () => {
    const m = move(disposition('Not Interested'), lead());
    expect(m.to.bin).toBe('Nurture - Dead Opportunity');
    expect(m.nextActionAt).toBeNull();
  });

  it('keeps a requested call-back time and the station', () => {
    const m = move(disposition('Call Back Requested', 'SDR_CALL', { nextActionAt: '2024-05-07T14:00:00.000Z' }), lead());
    expect(m.to.station).toBe('SDR_CALL');
    expect(m.nextActionAt).toBe('2024-05-07T14:00:00.000Z');
  });

  it('sends duplicates to Avoid - Duplicate and customers to Avoid - Current Client, whatever the outcome', () => {
    expect(move(disposition('Duplicate'), lead()).to).toEqual({ station: null, bin: 'Avoid - Duplicate', ownerId: SDR });
    expect(move(disposition('Meeting Booked'), lead({ isDuplicate: true })).to.bin).toBe('Avoid - Duplicate');
    expect(move(disposition('Not Interested'), lead({ isCustomer: true })).to).toEqual({ station: null, bin: 'Avoid - Current Client', ownerId: SDR });
    expect(move(disposition('Current Client'), lead()).to.bin).toBe('Avoid - Current Client');
  });

  it('moves a won deal on to onboarding as a current client, assigned there', () => {
    const opp: AssetState = { id: '006000000000000001', type: 'Opportunity', ownerId: AE, bookedById: SDR, bin: 'Nurture - Active Opportunity', station: 'PROPOSAL', isCustomer: true, isDuplicate: false };
    const m = move(disposition('Closed Won', 'PROPOSAL'), opp);
    expect(m.to).toEqual({ station: 'ONBOARDING', bin: 'Avoid - Current Client', ownerId: null });
    expect(m.owner.needsAssignment).toBe(true);
  });

  it('never lets an Avoid bin re-enter a queue', () => {
    const m = move(disposition('Call Back Requested'), lead({ bin: 'Avoid - Bad Fit' }));
    expect(m.to).toEqual({ station: null, bin: 'Avoid - Bad Fit', ownerId: SDR });
    expect(m.nextActionAt).toBeNull();
    expect(m.notes.join()).toMatch(/never re-enters/);
  });

  it('is idempotent: a processed disposition moves nothing', () => {
    const result = moveForDisposition(disposition('Meeting Booked', 'SDR_CALL', { processedAt: '2024-05-06T14:00:00.000Z' }), lead(), rules, NOW);
    expect(result).toMatchObject({ kind: 'none', reason: 'already-processed', markProcessed: false });
  });

  it('ignores a disposition about a station the asset has already left, and closes it', () => {
    const result = moveForDisposition(disposition('Meeting Booked'), lead({ station: 'COORDINATE' }), rules, NOW);
    expect(result).toMatchObject({ kind: 'none', reason: 'asset-moved-on', markProcessed: true });
  });

  it('leaves the asset in place for an outcome without a rule (an attempt)', () => {
    const m = move(disposition('No Answer'), lead());
    expect(m.to).toEqual(m.from);
    expect(m.notes[0]).toMatch(/no rule for SDR_CALL:No Answer/);
  });
});

describe('rules from the org', () => {
  it('maps Station_Rule__c ids to station keys and rejects an unknown id by name', () => {
    const ids = new Map([['a01A', 'DEMO'], ['a01B', 'SDR_CALL']]);
    const [rule] = rulesFromRecords(
      [{ Key__c: 'DEMO:No Show', Station__c: 'a01A', Outcome__c: 'No Show', Next_Station__c: 'a01B', Next_Bin__c: 'Working', Reentry_Days__c: '', Owner_Rule__c: 'Return To Booker' }],
      ids
    );
    expect(rule).toEqual({ key: 'DEMO:No Show', station: 'DEMO', outcome: 'No Show', nextStation: 'SDR_CALL', nextBin: 'Working', reentryDays: null, ownerRule: 'Return To Booker' });
    expect(() => rulesFromRecords([{ Key__c: 'x', Station__c: 'zzz', Outcome__c: 'No Show', Next_Station__c: null, Next_Bin__c: null, Owner_Rule__c: 'Keep' }], ids)).toThrow(
      /Station_Rule__c\(x\)\.Station__c/
    );
  });

  it('rejects two rules for the same station and outcome', () => {
    const twice = rulesFromConfig({ rules: [...defaultLine.rules, defaultLine.rules[0]] });
    expect(() => indexRules(twice)).toThrow(/one rule per station and outcome/);
  });

  it('reads a disposition record, finding the asset from its lookup', () => {
    const d = dispositionFromRecord({ Id: 'a0D1', Opportunity__c: '006X', Station__c: 'a01A', Outcome__c: 'No Show', Asset_Id__c: '', Processed_At__c: '' }, new Map([['a01A', 'DEMO']]));
    expect(d).toEqual({ id: 'a0D1', assetId: '006X', assetType: 'Opportunity', station: 'DEMO', repId: null, outcome: 'No Show', nextActionAt: null, processedAt: null });
  });
});

describe('re-entry of nurture assets', () => {
  it('returns Check Back Quarterly assets whose time has come, oldest first, and nothing else', () => {
    const due = dueForReentry(
      [
        { id: 'late', type: 'Lead', bin: 'Nurture - Check Back Quarterly', binEnteredAt: '2024-01-01T00:00:00Z', nextActionAt: null, ownerId: SDR }, // +90 d = 2024-03-31
        { id: 'set', type: 'Lead', bin: 'Nurture - Check Back Quarterly', binEnteredAt: null, nextActionAt: '2024-05-01T00:00:00Z', ownerId: SDR },
        { id: 'future', type: 'Lead', bin: 'Nurture - Check Back Quarterly', binEnteredAt: null, nextActionAt: '2024-06-01T00:00:00Z', ownerId: SDR },
        { id: 'dead', type: 'Lead', bin: 'Nurture - Dead Opportunity', binEnteredAt: '2020-01-01T00:00:00Z', nextActionAt: null, ownerId: SDR },
        { id: 'avoid', type: 'Lead', bin: 'Avoid - Bad Fit', binEnteredAt: '2020-01-01T00:00:00Z', nextActionAt: '2020-01-01T00:00:00Z', ownerId: SDR }
      ],
      NOW,
      { Lead: 'SDR_CALL' }
    );
    expect(due.map((r) => r.assetId)).toEqual(['late', 'set']);
    expect(due[0]).toMatchObject({ dueAt: '2024-03-31T00:00:00.000Z', to: { station: 'SDR_CALL', bin: 'Working' }, needsAssignment: true });
  });
});
