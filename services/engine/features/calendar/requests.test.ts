import { findSlots, nextBestSlot, type PersonInput } from '../../core/calendar';
import { answerFromSearch, ANSWER_SLOTS, ANSWER_VERSION } from './requests';
import type { OrgSlotSearch } from './reads';

// The console books what the answer says and offers what the answer names when a slot is
// taken: these must be the calendar core's own records and fallbacks, for any namespace.
const NOW = new Date('2026-11-23T12:00:00Z');
const TYPE = { id: 'a0T000000000001AAA', key: 'DEMO_60', durationMinutes: 60, needsAE: true, needsEngineer: false, fieldMeeting: false, active: true };
const ae = (userId: string): PersonInput => ({ userId, role: 'AE', timeZone: 'UTC', shiftStartHour: 9, shiftEndHour: 17 });

function search(): OrgSlotSearch {
  const result = findSlots({ demoType: TYPE, days: 7, seed: 'r1' }, [ae('005000000000001AAA'), ae('005000000000002AAA')], [], NOW);
  return { ...result, demoType: TYPE, problems: ['Rep_Capacity__c(x).Time_Zone__c: got "Central"'] };
}

const request = { id: 'a0R000000000001AAA', leadId: '00Q000000000001AAA', bookedBy: '005000000000009AAA', customerTimeZone: null, city: null };

describe('answerFromSearch: the Demo_Request__c answer', () => {
  it('lists the ranked slots, each with the Demo_Slot__c to insert and the next best slot of the core', () => {
    const s = search();
    const answer = answerFromSearch(request, s, { '005000000000001AAA': 'Ana Lopez' }, '', NOW);
    expect(answer.version).toBe(ANSWER_VERSION);
    expect(answer.slots).toHaveLength(Math.min(ANSWER_SLOTS, s.slots.length));
    expect(answer.total).toBe(s.total);
    const listed = s.slots.slice(0, ANSWER_SLOTS);
    answer.slots.forEach((slot, i) => {
      const core = listed[i];
      expect(slot.key).toBe(core?.key);
      expect(slot.record).toEqual({
        Slot_Key__c: core?.key,
        Demo_Type__c: TYPE.id,
        AE__c: core?.aeId,
        Engineer__c: null,
        Start__c: core?.start,
        End__c: core?.end,
        Status__c: 'Booked',
        Lead__c: request.leadId,
        Opportunity__c: null,
        Booked_By__c: request.bookedBy,
        City__c: null
      });
      expect(slot.next).toBe(core ? (nextBestSlot(core, listed)?.key ?? null) : null);
    });
    // The same start with the other AE comes first after a conflict (the customer was promised it).
    expect(answer.slots[0]?.next).toBe(answer.slots[1]?.key);
    expect(answer.owners).toEqual(s.owners);
    expect(answer.people['005000000000001AAA']).toBe('Ana Lopez');
    expect(answer.problems).toEqual(s.problems);
    expect(JSON.parse(JSON.stringify(answer))).toEqual(answer);
  });

  it('names the fields with the package namespace', () => {
    const answer = answerFromSearch(request, search(), {}, 'asl', NOW);
    expect(Object.keys(answer.slots[0]?.record ?? {})).toContain('asl__Slot_Key__c');
    expect(Object.keys(answer.slots[0]?.record ?? {})).not.toContain('Slot_Key__c');
  });

  it('fits Result__c (131,072 characters) at the answer size', () => {
    const many = findSlots({ demoType: TYPE, days: 14, seed: 'r1' }, Array.from({ length: 50 }, (_, i) => ae(`0050000000000${String(i).padStart(2, '0')}AAA`)), [], NOW);
    const people = Object.fromEntries(many.owners.map((o) => [o.userId, 'Firstname Lastname-Longer']));
    const answer = answerFromSearch(request, { ...many, demoType: TYPE, problems: [] }, people, 'namespace15char', NOW);
    expect(JSON.stringify(answer).length).toBeLessThan(131_072);
  });
});
