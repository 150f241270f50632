/**
 * The flow interpreter on small synthetic flows over the local org's test fixture objects
 * (Lead with Attempt_Count__c, Bin__c, Next_Action_At__c, Station__c; Station__c with
 * Score__c 0..100, Active__c, Key__c, Region__c; Visit__c, master-detail of Station__c;
 * Signal__e). Each case cites the Salesforce behaviour it copies.
 */
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalOrg, type LocalOrg } from '../server';
import { loadSchema } from '../schema';
import type { PlatformEventMessage } from '../store/types';
import { FIXTURE_FORCE_APP, testClock } from '../test/harness';
import { compileFlow, type CompileResult } from './compile';
import { evaluateLogic, LogicError, parseLogic } from './logic';
import { parseFlowFile } from './metadata';

const T0 = '2026-03-18T15:30:00.000+0000';

function flowXml(label: string, start: string, body: string, status = 'Active'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>66.0</apiVersion>
    <label>${label}</label>
    <processType>AutoLaunchedFlow</processType>
    ${body}
    <start>${start}</start>
    <status>${status}</status>
</Flow>
`;
}

const start = (object: string, trigger: string, timing: string, first: string | null, extra = ''): string =>
  `${first === null ? '' : `<connector><targetReference>${first}</targetReference></connector>`}${extra}<object>${object}</object><recordTriggerType>${trigger}</recordTriggerType><triggerType>${timing}</triggerType>`;

const value = (v: string | number | boolean, kind: 'string' | 'number' | 'boolean' | 'ref' = typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string'): string =>
  `<value><${kind === 'ref' ? 'elementReference' : `${kind}Value`}>${String(v)}</${kind === 'ref' ? 'elementReference' : `${kind}Value`}></value>`;

const dirs: string[] = [];
const orgs: LocalOrg[] = [];

/** A local org over the fixture objects with exactly these flows (file name -> XML). */
function orgWith(flows: Record<string, string>, clock = testClock()): { org: LocalOrg; clock: ReturnType<typeof testClock> } {
  const dir = mkdtempSync(join(tmpdir(), 'asl-flow-unit-'));
  dirs.push(dir);
  cpSync(FIXTURE_FORCE_APP, dir, { recursive: true });
  mkdirSync(join(dir, 'main', 'default', 'flows'), { recursive: true });
  for (const [name, xml] of Object.entries(flows)) writeFileSync(join(dir, 'main', 'default', 'flows', `${name}.flow-meta.xml`), xml);
  const org = createLocalOrg({ forceAppDir: dir, clock: clock.now });
  orgs.push(org);
  expect(org.warnings.filter((w) => w.includes('flow'))).toEqual([]);
  return { org, clock };
}

afterAll(async () => {
  for (const org of orgs) await org.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function insert(org: LocalOrg, sobject: string, record: Record<string, unknown>): string {
  const result = org.store.insert(sobject, record);
  if (!result.success) throw new Error(JSON.stringify(result.errors));
  return result.id as string;
}

describe('before-save flows (Salesforce Help: "Record-Triggered Flows", fast field updates)', () => {
  // Runs on updates that change Attempt_Count__c (entry condition IsChanged); schedules the
  // next action count hours ahead with a formula, and gives up after 3 attempts of a lead
  // that was Cold (custom condition logic over $Record and $Record__Prior).
  const FOLLOW_UP = flowXml(
    'Follow Up',
    start('Lead', 'Update', 'RecordBeforeSave', 'Schedule', `<filterLogic>and</filterLogic><filters><field>Attempt_Count__c</field><operator>IsChanged</operator>${value(true)}</filters>`),
    `<assignments><name>Schedule</name>
        <assignmentItems><assignToReference>$Record.Next_Action_At__c</assignToReference><operator>Assign</operator>${value('NextAction', 'ref')}</assignmentItems>
        <assignmentItems><assignToReference>varTrail</assignToReference><operator>Add</operator>${value('attempt ')}</assignmentItems>
        <assignmentItems><assignToReference>varTrail</assignToReference><operator>Add</operator>${value('$Record.Attempt_Count__c', 'ref')}</assignmentItems>
        <assignmentItems><assignToReference>$Record.Description</assignToReference><operator>Assign</operator>${value('varTrail', 'ref')}</assignmentItems>
        <connector><targetReference>Give_Up</targetReference></connector></assignments>
     <assignments><name>Bad_Fit</name>
        <assignmentItems><assignToReference>$Record.Bin__c</assignToReference><operator>Assign</operator>${value('Avoid - Bad Fit')}</assignmentItems></assignments>
     <decisions><name>Give_Up</name>
        <rules><name>Three_Tries</name><conditionLogic>1 AND (2 OR 3)</conditionLogic>
          <conditions><leftValueReference>$Record.Attempt_Count__c</leftValueReference><operator>GreaterThanOrEqualTo</operator><rightValue><numberValue>3</numberValue></rightValue></conditions>
          <conditions><leftValueReference>$Record__Prior.Bin__c</leftValueReference><operator>EqualTo</operator><rightValue><stringValue>Cold</stringValue></rightValue></conditions>
          <conditions><leftValueReference>$Record.Bin__c</leftValueReference><operator>IsNull</operator><rightValue><booleanValue>true</booleanValue></rightValue></conditions>
          <connector><targetReference>Bad_Fit</targetReference></connector></rules></decisions>
     <formulas><name>NextAction</name><dataType>DateTime</dataType><expression>{!$Flow.CurrentDateTime} + {!$Record.Attempt_Count__c} / 24</expression></formulas>
     <variables><name>varTrail</name><dataType>String</dataType><isCollection>false</isCollection></variables>`,
  );

  it('changes the record being saved, only when the entry condition holds', () => {
    const { org, clock } = orgWith({ Follow_Up: FOLLOW_UP });
    const id = insert(org, 'Lead', { LastName: 'A', Company: 'Co', LeadSource: 'Web', Attempt_Count__c: 0 });
    // recordTriggerType Update: creating does not run it.
    expect(org.store.get('Lead', id, ['Next_Action_At__c'])?.Next_Action_At__c).toBeNull();
    clock.advance(60_000);
    org.store.update('Lead', id, { Attempt_Count__c: 1 });
    expect(org.store.get('Lead', id, ['Next_Action_At__c', 'Bin__c', 'Description'])).toMatchObject({ Next_Action_At__c: '2026-03-18T16:31:00.000+0000', Bin__c: 'Cold', Description: 'attempt 1' });
    clock.advance(60_000);
    org.store.update('Lead', id, { Phone: '555' });
    // Attempt_Count__c did not change: the stamp stays.
    expect(org.store.get('Lead', id, ['Next_Action_At__c'])?.Next_Action_At__c).toBe('2026-03-18T16:31:00.000+0000');
    org.store.update('Lead', id, { Attempt_Count__c: 3 });
    expect(org.store.get('Lead', id, ['Next_Action_At__c', 'Bin__c'])).toMatchObject({ Next_Action_At__c: '2026-03-18T18:32:00.000+0000', Bin__c: 'Avoid - Bad Fit' });
  });

  it('runs before validation: a value the field cannot hold fails the save with the field error', () => {
    const bad = flowXml(
      'Bad Bin',
      start('Lead', 'Create', 'RecordBeforeSave', 'Set_Bin'),
      `<assignments><name>Set_Bin</name><assignmentItems><assignToReference>$Record.Bin__c</assignToReference><operator>Assign</operator>${value('Lukewarm')}</assignmentItems></assignments>`,
    );
    const { org } = orgWith({ Bad_Bin: bad });
    const result = org.store.insert('Lead', { LastName: 'A', Company: 'Co', LeadSource: 'Web' });
    expect(result).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Bin__c'] }] });
  });

  it('"only when a record is updated to meet the condition requirements" runs on the change into the condition only', () => {
    const marker = flowXml(
      'Hot Station',
      start('Station__c', 'CreateAndUpdate', 'RecordBeforeSave', 'Mark', `<doesRequireRecordChangedToMeetCriteria>true</doesRequireRecordChangedToMeetCriteria><filterLogic>and</filterLogic><filters><field>Score__c</field><operator>GreaterThan</operator>${value(50)}</filters>`),
      `<assignments><name>Mark</name><assignmentItems><assignToReference>$Record.Region__c</assignToReference><operator>Add</operator>${value('+')}</assignmentItems></assignments>`,
    );
    const { org } = orgWith({ Hot_Station: marker });
    const id = insert(org, 'Station__c', { Name: 'S', Key__c: 'S', Region__c: 'r', Score__c: 10 });
    const region = (): unknown => org.store.get('Station__c', id, ['Region__c'])?.Region__c;
    expect(region()).toBe('r');
    for (const [score, expected] of [[60, 'r+'], [70, 'r+'], [20, 'r+'], [80, 'r++']] as const) {
      org.store.update('Station__c', id, { Score__c: score });
      expect(region()).toBe(expected);
    }
    // On create the condition alone decides.
    expect(org.store.get('Station__c', insert(org, 'Station__c', { Name: 'T', Key__c: 'T', Region__c: 'q', Score__c: 90 }), ['Region__c'])?.Region__c).toBe('q+');
  });
});

describe('after-save flows (Salesforce Help: "Record-Triggered Flows", actions and related records)', () => {
  // On a visit to an active station: creates a lead from a record variable, then raises the
  // station's score by 10 and writes the new lead's Id on it; a failing update (score over
  // 100, the station's validation rule) goes to the fault connector, which publishes Signal__e.
  const VISIT = flowXml(
    'Visit Scores',
    start('Visit__c', 'Create', 'RecordAfterSave', 'Get_Station'),
    `<recordLookups><name>Get_Station</name><connector><targetReference>Is_Active</targetReference></connector>
        <filterLogic>and</filterLogic><filters><field>Id</field><operator>EqualTo</operator>${value('$Record.Station__c', 'ref')}</filters>
        <getFirstRecordOnly>true</getFirstRecordOnly><object>Station__c</object><storeOutputAutomatically>true</storeOutputAutomatically></recordLookups>
     <decisions><name>Is_Active</name>
        <rules><name>Active</name><conditionLogic>and</conditionLogic>
          <conditions><leftValueReference>Get_Station.Active__c</leftValueReference><operator>EqualTo</operator><rightValue><booleanValue>true</booleanValue></rightValue></conditions>
          <connector><targetReference>Build_Lead</targetReference></connector></rules></decisions>
     <assignments><name>Build_Lead</name>
        <assignmentItems><assignToReference>varLead.LastName</assignToReference><operator>Assign</operator>${value('From visit')}</assignmentItems>
        <assignmentItems><assignToReference>varLead.Company</assignToReference><operator>Assign</operator>${value('Get_Station.Key__c', 'ref')}</assignmentItems>
        <assignmentItems><assignToReference>varLead.LeadSource</assignToReference><operator>Assign</operator>${value('Web')}</assignmentItems>
        <assignmentItems><assignToReference>varLead.Station__c</assignToReference><operator>Assign</operator>${value('$Record.Station__c', 'ref')}</assignmentItems>
        <connector><targetReference>Create_Lead</targetReference></connector></assignments>
     <recordCreates><name>Create_Lead</name><connector><targetReference>Bump</targetReference></connector><inputReference>varLead</inputReference></recordCreates>
     <recordUpdates><name>Bump</name><faultConnector><targetReference>Signal</targetReference></faultConnector>
        <filterLogic>and</filterLogic><filters><field>Id</field><operator>EqualTo</operator>${value('$Record.Station__c', 'ref')}</filters>
        <inputAssignments><field>Score__c</field>${value('NewScore', 'ref')}</inputAssignments>
        <inputAssignments><field>Region__c</field>${value('varLead.Id', 'ref')}</inputAssignments>
        <object>Station__c</object></recordUpdates>
     <recordCreates><name>Signal</name><inputAssignments><field>Kind__c</field>${value('SCORE_FAULT')}</inputAssignments><object>Signal__e</object><storeOutputAutomatically>true</storeOutputAutomatically></recordCreates>
     <formulas><name>NewScore</name><dataType>Number</dataType><expression>BLANKVALUE({!Get_Station.Score__c}, 0) + 10</expression><scale>0</scale></formulas>
     <variables><name>varLead</name><dataType>SObject</dataType><isCollection>false</isCollection><objectType>Lead</objectType></variables>`,
  );

  it('reads, creates and updates other records in the same save', () => {
    const { org } = orgWith({ Visit_Scores: VISIT });
    const station = insert(org, 'Station__c', { Name: 'S', Key__c: 'KEY-1', Active__c: true, Score__c: 50 });
    insert(org, 'Visit__c', { Station__c: station });
    const updated = org.store.get('Station__c', station, ['Score__c', 'Region__c']);
    expect(updated?.Score__c).toBe(60);
    const lead = org.store.get('Lead', updated?.Region__c as string, ['LastName', 'Company', 'Station__c', 'CreatedById']);
    expect(lead).toMatchObject({ LastName: 'From visit', Company: 'KEY-1', Station__c: station, CreatedById: org.store.adminUserId });
    // An inactive station takes the decision's default outcome: nothing is written.
    const idle = insert(org, 'Station__c', { Name: 'Idle', Key__c: 'KEY-2', Active__c: false, Score__c: 50 });
    insert(org, 'Visit__c', { Station__c: idle });
    expect(org.store.get('Station__c', idle, ['Score__c'])?.Score__c).toBe(50);
  });

  it('a failed element takes its fault connector; what ran before it stays (Salesforce Help: "Flow Fault Connectors")', () => {
    const { org } = orgWith({ Visit_Scores: VISIT });
    const signals: PlatformEventMessage[] = [];
    org.events.on('platformEvent', (message) => signals.push(message));
    const station = insert(org, 'Station__c', { Name: 'S', Key__c: 'KEY-3', Active__c: true, Score__c: 95 });
    insert(org, 'Visit__c', { Station__c: station });
    expect(org.store.get('Station__c', station, ['Score__c', 'Region__c'])).toMatchObject({ Score__c: 95, Region__c: null });
    expect(signals.map((s) => s.fields.Kind__c)).toEqual(['SCORE_FAULT']);
    expect(org.store.query("SELECT COUNT() FROM Lead WHERE Company = 'KEY-3'").totalSize).toBe(1);
  });

  it('a recursive save of the triggering record runs before-save flows again but not after-save flows', () => {
    // "Triggers and Order of Execution": during a recursive save Salesforce skips steps 9 to 17,
    // which hold the after-save flows; so an after-save flow that updates its own record
    // (entry: every update) runs once, not forever.
    const countAfter = flowXml(
      'Count Saves',
      start('Lead', 'Update', 'RecordAfterSave', 'Count'),
      `<assignments><name>Count</name><assignmentItems><assignToReference>$Record.Attempt_Count__c</assignToReference><operator>Assign</operator>${value('NextCount', 'ref')}</assignmentItems>
          <connector><targetReference>Save_Record</targetReference></connector></assignments>
       <recordUpdates><name>Save_Record</name><inputReference>$Record</inputReference></recordUpdates>
       <formulas><name>NextCount</name><dataType>Number</dataType><expression>BLANKVALUE({!$Record.Attempt_Count__c}, 0) + 1</expression><scale>0</scale></formulas>`,
    );
    const stampBefore = flowXml(
      'Stamp Count',
      start('Lead', 'Update', 'RecordBeforeSave', 'Stamp', '<filterFormula>ISCHANGED({!$Record.Attempt_Count__c})</filterFormula>'),
      `<assignments><name>Stamp</name><assignmentItems><assignToReference>$Record.Next_Action_At__c</assignToReference><operator>Assign</operator>${value('$Flow.CurrentDateTime', 'ref')}</assignmentItems></assignments>`,
    );
    const { org } = orgWith({ Count_Saves: countAfter, Stamp_Count: stampBefore });
    const id = insert(org, 'Lead', { LastName: 'A', Company: 'Co', LeadSource: 'Web' });
    expect(org.store.update('Lead', id, { Phone: '1' }).success).toBe(true);
    expect(org.store.get('Lead', id, ['Attempt_Count__c', 'Next_Action_At__c'])).toMatchObject({ Attempt_Count__c: 1, Next_Action_At__c: T0 });
    org.store.update('Lead', id, { Phone: '2' });
    expect(org.store.get('Lead', id, ['Attempt_Count__c'])?.Attempt_Count__c).toBe(2);
  });

  it('flows started by flows nest at most 16 deep, then the save fails and rolls back', () => {
    const chain = flowXml(
      'Visit Chain',
      start('Visit__c', 'Create', 'RecordAfterSave', 'Next_Visit'),
      `<recordCreates><name>Next_Visit</name><inputAssignments><field>Station__c</field>${value('$Record.Station__c', 'ref')}</inputAssignments><object>Visit__c</object></recordCreates>`,
    );
    const { org } = orgWith({ Visit_Chain: chain });
    const station = insert(org, 'Station__c', { Name: 'S', Key__c: 'S' });
    const result = org.store.insert('Visit__c', { Station__c: station });
    expect(result.success).toBe(false);
    expect(result.errors[0]).toMatchObject({ statusCode: 'CANNOT_EXECUTE_FLOW_TRIGGER' });
    expect(result.errors[0]?.message).toContain('Maximum trigger depth exceeded');
    expect(org.store.count('Visit__c')).toBe(0);
  });
});

describe('what the local org cannot run is refused at load, never run half-way', () => {
  const { schema } = loadSchema({ forceAppDir: FIXTURE_FORCE_APP });
  const compile = (xml: string): CompileResult => compileFlow(parseFlowFile('Unit.flow-meta.xml', xml), schema, 'flows/Unit.flow-meta.xml');
  const problems = (xml: string): string[] => {
    const result = compile(xml);
    return result.kind === 'skipped' ? result.problems : [];
  };
  const assign = (target: string, valueXml: string): string =>
    `<assignments><name>Set</name><assignmentItems><assignToReference>${target}</assignToReference><operator>Assign</operator>${valueXml}</assignmentItems></assignments>`;

  it('names unsupported elements, formulas, globals, fields and connectors', () => {
    expect(problems(flowXml('U', start('Lead', 'Update', 'RecordAfterSave', 'Wait'), '<waits><name>Wait</name></waits>'))).toEqual(['element "Wait" (waits) is not supported by the local org']);
    expect(problems(flowXml('U', start('Lead', 'Update', 'RecordBeforeSave', 'Set'), `${assign('$Record.Description', value('F', 'ref'))}<formulas><name>F</name><dataType>String</dataType><expression>VLOOKUP({!$Record.LastName}, 1, 2)</expression></formulas>`))).toEqual([
      expect.stringMatching(/^formula "F": formula "VLOOKUP.*" is not supported by the local org: function VLOOKUP is not supported$/),
    ]);
    expect(problems(flowXml('U', start('Lead', 'Update', 'RecordBeforeSave', 'Set'), assign('$Record.Description', value('$Label.Greeting', 'ref'))))).toEqual([
      'element "Set": reference {!$Label.Greeting} cannot be resolved: the global $Label is not supported by the local org',
    ]);
    expect(problems(flowXml('U', start('Lead', 'Update', 'RecordBeforeSave', 'Set'), assign('$Record.Nope__c', value('x'))))).toEqual(['element "Set": {!$Record.Nope__c} is not a field a flow can set']);
    expect(problems(flowXml('U', start('Lead', 'Update', 'RecordBeforeSave', 'Gone'), assign('$Record.Title', value('x'))))).toEqual([
      'element "start": its connector goes to "Gone", which is not an element of this flow',
    ]);
    expect(problems(flowXml('U', start('Lead', 'Update', 'RecordBeforeSave', 'Set'), assign('$Record.Title', value('$Record.Station__r.Nope__c', 'ref'))))).toEqual([
      'element "Set": reference {!$Record.Station__r.Nope__c} cannot be resolved: Nope__c is not a field of Station__c',
    ]);
  });

  it('refuses triggers and timings the local org does not run, and ignores flows that never run on a save', () => {
    expect(problems(flowXml('U', start('Lead', 'Delete', 'RecordBeforeDelete', null), ''))).toEqual([expect.stringContaining('triggerType RecordBeforeDelete is not run by the local org')]);
    expect(problems(flowXml('U', start('Lead', 'Create', 'RecordAfterSave', null, '<scheduledPaths><name>Later</name></scheduledPaths>'), ''))).toEqual([expect.stringContaining('scheduled path "Later"')]);
    expect(problems(flowXml('U', start('Lead', 'Create', 'RecordBeforeSave', 'Make'), '<recordCreates><name>Make</name><object>Station__c</object></recordCreates>'))).toEqual([
      'element "Make": a before-save flow cannot create or update records (Flow Builder offers only fast field updates there)',
    ]);
    expect(problems(flowXml('U', '', '').replace('AutoLaunchedFlow', 'Workflow'))).toEqual(['processType Workflow (a Process Builder process) is not run by the local org']);
    expect(compile(flowXml('U', start('Lead', 'Create', 'RecordBeforeSave', null), '', 'Draft')).kind).toBe('ignored');
    expect(compile(flowXml('U', '<connector><targetReference>X</targetReference></connector>', '<assignments><name>X</name></assignments>')).kind).toBe('ignored');
    expect(compile(flowXml('U', start('Lead', 'CreateAndUpdate', 'RecordAfterSave', null), '')).kind).toBe('flow');
  });
});

describe('condition logic (Flow Builder: "Custom Condition Logic")', () => {
  const truth = (logic: string, values: boolean[]): boolean => evaluateLogic(parseLogic(logic, values.length), (i) => values[i] as boolean);

  it('evaluates and, or and custom expressions with NOT and parentheses', () => {
    expect(truth('and', [true, false])).toBe(false);
    expect(truth('or', [true, false])).toBe(true);
    expect(truth('1 AND (2 OR NOT 3)', [true, false, false])).toBe(true);
    expect(truth('1 AND (2 OR NOT 3)', [true, false, true])).toBe(false);
    expect(truth('(1 OR 2) AND 3', [false, true, true])).toBe(true);
  });

  it('rejects logic naming conditions that do not exist or with stray words', () => {
    expect(() => parseLogic('1 AND 4', 3)).toThrow(LogicError);
    expect(() => parseLogic('1 XOR 2', 2)).toThrow(LogicError);
    expect(() => parseLogic('(1 AND 2', 2)).toThrow(LogicError);
  });
});
