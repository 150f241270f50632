/**
 * Flow failures and what the org says at start, against a copy of the REAL force-app that an
 * admin has extended: a validation rule on Stage_Event__c, a flow without a fault path, and
 * a flow with an element the local org cannot run. Behaviour followed:
 *
 * - Salesforce Help, "Flow Fault Connectors" / "Customize What Happens When a Flow Fails": a
 *   fault connector handles the element's error ($Flow.FaultMessage) and the interview goes
 *   on; without one the interview fails, and a record-triggered flow's failure fails the save
 *   with CANNOT_EXECUTE_FLOW_TRIGGER ("We can't save this record because the “...” process
 *   failed..."), rolling back the transaction.
 * - Salesforce Help, "Record-Triggered Flow Considerations" and Apex Developer Guide,
 *   "Triggers and Order of Execution": flows run in the save's transaction, and validation
 *   rules apply to the records a flow writes.
 * - REST API Developer Guide, "sObject Collections": without allOrNone a failing record does
 *   not stop the others.
 */
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from 'jsforce';
import { sfError, startOrg, type TestOrg } from '../test/harness';

const FORCE_APP = join(__dirname, '..', '..', '..', 'force-app', 'main', 'default');

const BLOCKED_RULE = `<?xml version="1.0" encoding="UTF-8"?>
<ValidationRule xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>No_Blocked_Stays</fullName>
    <active>true</active>
    <errorConditionFormula>ISNEW() &amp;&amp; To_Value__c = "Blocked"</errorConditionFormula>
    <errorMessage>Stays in Blocked are not tracked</errorMessage>
</ValidationRule>
`;

/** After save, on a lead's phone set to "555-FAIL", a create that the rule above rejects, with no fault connector. */
const UNHANDLED_FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>66.0</apiVersion>
    <label>Test Unhandled</label>
    <processType>AutoLaunchedFlow</processType>
    <recordCreates>
        <name>Create_Blocked</name>
        <inputAssignments><field>Asset_Id__c</field><value><elementReference>$Record.Id</elementReference></value></inputAssignments>
        <inputAssignments><field>Kind__c</field><value><stringValue>Station</stringValue></value></inputAssignments>
        <inputAssignments><field>To_Value__c</field><value><stringValue>Blocked</stringValue></value></inputAssignments>
        <object>Stage_Event__c</object>
    </recordCreates>
    <start>
        <connector><targetReference>Create_Blocked</targetReference></connector>
        <filterFormula>{!$Record.Phone} = "555-FAIL"</filterFormula>
        <object>Lead</object>
        <recordTriggerType>Update</recordTriggerType>
        <triggerType>RecordAfterSave</triggerType>
    </start>
    <status>Active</status>
</Flow>
`;

/** A Loop element: valid metadata, not something the local org runs. */
const LOOP_FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>66.0</apiVersion>
    <label>Test Loop</label>
    <loops>
        <name>Each_Event</name>
        <collectionReference>Get_Events</collectionReference>
        <iterationOrder>Asc</iterationOrder>
    </loops>
    <processType>AutoLaunchedFlow</processType>
    <recordLookups>
        <name>Get_Events</name>
        <connector><targetReference>Each_Event</targetReference></connector>
        <filterLogic>and</filterLogic>
        <filters><field>Lead__c</field><operator>EqualTo</operator><value><elementReference>$Record.Id</elementReference></value></filters>
        <getFirstRecordOnly>false</getFirstRecordOnly>
        <object>Stage_Event__c</object>
        <storeOutputAutomatically>true</storeOutputAutomatically>
    </recordLookups>
    <start>
        <connector><targetReference>Get_Events</targetReference></connector>
        <object>Lead</object>
        <recordTriggerType>Update</recordTriggerType>
        <triggerType>RecordAfterSave</triggerType>
    </start>
    <status>Active</status>
</Flow>
`;

let dir: string;
let t: TestOrg;
let conn: Connection;
let warn: jest.SpyInstance;
let blocked: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'asl-flows-'));
  const root = join(dir, 'main', 'default');
  for (const folder of ['objects', 'globalValueSets', 'flows']) cpSync(join(FORCE_APP, folder), join(root, folder), { recursive: true });
  mkdirSync(join(root, 'objects', 'Stage_Event__c', 'validationRules'), { recursive: true });
  writeFileSync(join(root, 'objects', 'Stage_Event__c', 'validationRules', 'No_Blocked_Stays.validationRule-meta.xml'), BLOCKED_RULE);
  writeFileSync(join(root, 'flows', 'ASL_Test_Unhandled.flow-meta.xml'), UNHANDLED_FLOW);
  writeFileSync(join(root, 'flows', 'ASL_Test_Loop.flow-meta.xml'), LOOP_FLOW);
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  t = await startOrg({ forceAppDir: dir });
  conn = await t.login();
  const station = await conn.sobject('Station__c').create({ Name: 'Blocked', Key__c: 'BLOCKED' });
  blocked = station.success ? station.id : '';
});

afterAll(async () => {
  warn.mockRestore();
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

async function stays(leadId: string): Promise<Array<{ Kind__c: string; To_Value__c: string }>> {
  return (await conn.query<{ Kind__c: string; To_Value__c: string }>(`SELECT Kind__c, To_Value__c FROM Stage_Event__c WHERE Asset_Id__c = '${leadId}' ORDER BY Name`)).records;
}

describe('flow faults', () => {
  it('a failing Create Records takes its fault connector: FLOW_FAULT is published and the save stands', async () => {
    const signals: Array<Record<string, unknown>> = [];
    const listener = (message: { eventName: string; fields: Record<string, unknown> }): void => void signals.push(message.fields);
    t.org.events.on('platformEvent', listener);
    const created = await conn.sobject('Lead').create({ LastName: 'Blocked', Company: 'Fault Co', LeadSource: 'Web', Station__c: blocked });
    t.org.events.off('platformEvent', listener);

    expect(created.success).toBe(true);
    const id = created.success ? created.id : '';
    expect(await conn.sobject('Lead').retrieve(id)).toMatchObject({ Station__c: blocked, Station_Entered_At__c: '2026-03-18T15:30:00.000+0000', Bin__c: 'Cold' });
    expect(signals).toEqual([
      expect.objectContaining({
        Kind__c: 'FLOW_FAULT',
        Record_Id__c: id,
        Payload__c:
          'This error occurred when the flow tried to create records: FIELD_CUSTOM_VALIDATION_EXCEPTION: Stays in Blocked are not tracked. You can look up ExceptionCode values in the SOAP API Developer Guide.',
      }),
    ]);
    // The station stay was refused; the bin flow, a separate interview, wrote its stay.
    expect(await stays(id)).toEqual([expect.objectContaining({ Kind__c: 'Bin', To_Value__c: 'Cold' })]);
  });

  it('a failure without a fault connector fails the save with CANNOT_EXECUTE_FLOW_TRIGGER and rolls it back', async () => {
    const created = await conn.sobject('Lead').create({ LastName: 'Unhandled', Company: 'Fault Co', LeadSource: 'Web' });
    const id = created.success ? created.id : '';
    const error = await sfError(conn.sobject('Lead').update({ Id: id, Phone: '555-FAIL', Bin__c: 'Working' }));
    expect(error.errorCode).toBe('CANNOT_EXECUTE_FLOW_TRIGGER');
    expect(error.message).toBe(
      'We can\'t save this record because the “Test Unhandled” process failed. Give your Salesforce admin these details. This error occurred when the flow tried to create records: FIELD_CUSTOM_VALIDATION_EXCEPTION: Stays in Blocked are not tracked. You can look up ExceptionCode values in the SOAP API Developer Guide.',
    );
    // Nothing of the save is left: not the lead's new values, not the bin stay another flow wrote.
    expect(await conn.sobject('Lead').retrieve(id)).toMatchObject({ Phone: null, Bin__c: 'Cold' });
    expect((await stays(id)).map((s) => s.To_Value__c)).toEqual(['Cold']);
  });

  it('in a collection without allOrNone, only the record whose flow failed is rolled back', async () => {
    const created = await conn.sobject('Lead').create(
      [
        { LastName: 'Ok', Company: 'Fault Co', LeadSource: 'Web' },
        { LastName: 'Fails', Company: 'Fault Co', LeadSource: 'Web' },
      ],
      { allOrNone: true },
    );
    const [ok, fails] = created.map((r) => (r.success ? r.id : '')) as [string, string];
    const results = await conn.sobject('Lead').update(
      [
        { Id: ok, Bin__c: 'Working' },
        { Id: fails, Bin__c: 'Working', Phone: '555-FAIL' },
      ],
      { allOrNone: false },
    );
    expect(results.map((r) => r.success)).toEqual([true, false]);
    expect(results[1]).toMatchObject({ errors: [expect.objectContaining({ statusCode: 'CANNOT_EXECUTE_FLOW_TRIGGER' })] });
    expect((await stays(ok)).map((s) => s.To_Value__c)).toEqual(['Cold', 'Working']);
    expect((await stays(fails)).map((s) => s.To_Value__c)).toEqual(['Cold']);
    expect(await conn.sobject('Lead').retrieve(fails)).toMatchObject({ Bin__c: 'Cold', Phone: null });
  });
});

describe('flows the local org cannot run', () => {
  it('are named with their file and element in a start-up warning, and the org starts with the others', async () => {
    const expected = expect.stringMatching(/ASL_Test_Loop\.flow-meta\.xml: element "Each_Event" \(loops\) is not supported by the local org; flow ASL_Test_Loop does not run in the local org$/);
    expect(t.org.warnings).toEqual([expected]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('[local-org] ') as unknown as string);
    expect(warn.mock.calls.map((call) => String(call[0]))).toEqual([expect.stringContaining('"Each_Event" (loops)')]);
    // The supported flows of the same package still run.
    const created = await conn.sobject('Lead').create({ LastName: 'Still Cold', Company: 'Fault Co', LeadSource: 'Web' });
    expect(await conn.sobject('Lead').retrieve(created.success ? created.id : '')).toMatchObject({ Bin__c: 'Cold' });
  });
});
