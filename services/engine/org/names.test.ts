import type { OrgClient } from './connection';
import { soql } from './soql';
import { orgNames } from './names';

const clientWith = (namespace: string) => ({ config: { namespace } }) as unknown as OrgClient;

describe('orgNames', () => {
  it('prefixes custom objects, fields and relationship paths with the namespace, never standard ones', () => {
    const { n, list, record, api } = orgNames(clientWith('asl'));
    expect(soql`SELECT ${list(['Id', 'OwnerId', 'Station__c', 'Station__r.Key__c'])} FROM Lead WHERE ${n('Bin__c')} = ${'Cold'}`).toBe(
      "SELECT Id, OwnerId, asl__Station__c, asl__Station__r.asl__Key__c FROM Lead WHERE asl__Bin__c = 'Cold'"
    );
    expect(record({ Id: '00Q000000000001AAA', OwnerId: '005000000000001AAA', Station__c: null })).toEqual({ Id: '00Q000000000001AAA', OwnerId: '005000000000001AAA', asl__Station__c: null });
    expect(api('Engine_Signal__e')).toBe('asl__Engine_Signal__e');
  });

  it('changes nothing without a namespace', () => {
    const { api, record } = orgNames(clientWith(''));
    expect(api('Assignment__c')).toBe('Assignment__c');
    expect(record({ Ledger_Key__c: 'SDR_CALL:x:1' })).toEqual({ Ledger_Key__c: 'SDR_CALL:x:1' });
  });
});
