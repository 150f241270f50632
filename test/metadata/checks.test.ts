import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { formatReport } from '../../scripts/metadata/check';
import { formulaFieldPaths, runChecks, type Finding } from '../../scripts/metadata/checks';
import { convertPackage } from '../../scripts/metadata/convert';
import { copyPackage, FORCE_APP, type PackageCopy } from './fixture';

// Conversion loads source-deploy-retrieve and writes a package: slow on a busy machine.
jest.setTimeout(120_000);

const PERMSET = 'permissionsets/ASL_SDR.permissionset-meta.xml';
const FLOW = 'flows/ASL_Lead_Station_Event.flow-meta.xml';

async function findingsAfter(breakIt: (copy: PackageCopy) => void, convert = false): Promise<{ findings: Finding[]; copy: PackageCopy }> {
  const copy = copyPackage();
  try {
    breakIt(copy);
    const report = await runChecks({ packageDir: copy.packageDir, convert });
    return { findings: report.findings, copy };
  } finally {
    copy.cleanup();
  }
}

function only(findings: Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

describe('the package in force-app', () => {
  it('passes every check, conversion to Metadata API format included', async () => {
    const report = await runChecks({ packageDir: FORCE_APP });
    expect(formatReport(report)).toMatch(/^Metadata checks passed/);
    expect(report.findings).toEqual([]);
    expect(report.apiVersion).toBe('66.0');
  });

  it('converts offline with source-deploy-retrieve into every metadata type it holds', async () => {
    // No org and no network: the API version is given, so SDR never asks an org for one.
    // Any attempt to open a connection would be caught here.
    const refuse = (): never => {
      throw new Error('network access during conversion');
    };
    const spies = [jest.spyOn(http, 'request').mockImplementation(refuse), jest.spyOn(https, 'request').mockImplementation(refuse), jest.spyOn(globalThis, 'fetch').mockImplementation(refuse)];
    const result = await convertPackage(FORCE_APP, '66.0');
    for (const spy of spies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
    expect(result.findings).toEqual([]);
    // At least the components this package defines (other parts of force-app add their own).
    const minimum = { CustomObject: 17, CustomField: 28, Flow: 8, GlobalValueSet: 6, PermissionSet: 7, CustomTab: 16, Layout: 16, CustomApplication: 1 };
    for (const [type, count] of Object.entries(minimum)) {
      expect({ type, enough: (result.components[type] ?? 0) >= count }).toEqual({ type, enough: true });
    }
  });
});

describe('a broken metadata file fails with its path and the reason', () => {
  it('an unclosed tag', async () => {
    const { findings, copy } = await findingsAfter((c) => c.replace(PERMSET, '</label>', ''));
    const xml = only(findings, 'xml-well-formed');
    expect(xml).toEqual([expect.objectContaining({ file: copy.shown(PERMSET), line: expect.any(Number) })]);
    expect(xml[0]?.message).toMatch(/not well-formed XML: .*label/);
    expect(formatReport({ findings, filesChecked: 1, apiVersion: '66.0' })).toContain(copy.shown(PERMSET));
  });

  it('an unknown field in a permission set', async () => {
    const { findings, copy } = await findingsAfter((c) =>
      c.replace(
        PERMSET,
        '<hasActivationRequired>',
        '<fieldPermissions>\n        <editable>false</editable>\n        <field>Lead.Not_A_Field__c</field>\n        <readable>true</readable>\n    </fieldPermissions>\n    <hasActivationRequired>'
      )
    );
    expect(only(findings, 'permission-set')).toEqual([
      expect.objectContaining({ file: copy.shown(PERMSET), message: expect.stringContaining('Lead.Not_A_Field__c, which does not exist') })
    ]);
  });

  it('a flow naming a missing field', async () => {
    const { findings, copy } = await findingsAfter((c) => c.replace(FLOW, '<field>To_Value__c</field>', '<field>To_Valu__c</field>'));
    expect(only(findings, 'flow-reference')).toEqual([
      expect.objectContaining({ file: copy.shown(FLOW), message: expect.stringContaining('Stage_Event__c.To_Valu__c') })
    ]);
  });

  it('a flow formula naming a missing field of the triggering record', async () => {
    const { findings, copy } = await findingsAfter((c) =>
      c.replace(FLOW, '{!$Record.Station_Entered_At__c}', '{!$Record.Station_Entered__c}')
    );
    expect(only(findings, 'flow-reference')).toEqual([
      expect.objectContaining({ file: copy.shown(FLOW), message: expect.stringContaining('Lead.Station_Entered__c does not exist') })
    ]);
  });

  it('a flow reading a field its Get Records does not query', async () => {
    const { findings, copy } = await findingsAfter((c) => c.replace(FLOW, '<queriedFields>To_Value__c</queriedFields>', ''));
    expect(only(findings, 'flow-reference')).toEqual([
      expect.objectContaining({ file: copy.shown(FLOW), message: expect.stringContaining('does not query To_Value__c') })
    ]);
  });

  it('a flow setting a picklist to a value it does not have', async () => {
    const { findings, copy } = await findingsAfter((c) =>
      c.replace(FLOW, /<field>Kind__c<\/field>\s*<value>\s*<stringValue>Station<\/stringValue>/, '<field>Kind__c</field><value><stringValue>Stations</stringValue>')
    );
    expect(only(findings, 'flow-reference')).toEqual([
      expect.objectContaining({ file: copy.shown(FLOW), message: expect.stringContaining('"Stations" is not a value of picklist Stage_Event__c.Kind__c') })
    ]);
  });

  it('a flow connector to an element that does not exist', async () => {
    const { findings, copy } = await findingsAfter((c) =>
      c.replace(FLOW, '<targetReference>Open_Event_Found</targetReference>', '<targetReference>Open_Event_Fund</targetReference>')
    );
    expect(only(findings, 'flow-reference')).toEqual([
      expect.objectContaining({ file: copy.shown(FLOW), message: expect.stringContaining('"Open_Event_Fund"') })
    ]);
  });

  it('an element out of Metadata API order', async () => {
    const field = 'objects/Station__c/fields/Order__c.field-meta.xml';
    const { findings, copy } = await findingsAfter((c) => {
      const xml = c.read(field);
      const label = xml.match(/ {4}<label>.*<\/label>\n/)?.[0] ?? '';
      c.write(field, xml.replace(label, '').replace('    <description>', `${label}    <description>`));
    });
    expect(only(findings, 'metadata-schema')).toEqual([
      expect.objectContaining({ file: copy.shown(field), message: expect.stringContaining('<label> is out of order in CustomField (CustomField): the Metadata API reads elements in sequence order, so it belongs after <externalId>') })
    ]);
  });

  it('an invalid enumeration value', async () => {
    const { findings, copy } = await findingsAfter((c) => c.replace(FLOW, 'RecordAfterSave', 'RecordAfterSafe'));
    expect(only(findings, 'metadata-schema')).toEqual([
      expect.objectContaining({ file: copy.shown(FLOW), message: expect.stringContaining('"RecordAfterSafe" is not a valid FlowTriggerType') })
    ]);
  });

  it('field permissions on a required field, which Salesforce rejects', async () => {
    const { findings, copy } = await findingsAfter((c) =>
      c.replace(
        PERMSET,
        '<hasActivationRequired>',
        '<fieldPermissions>\n        <editable>false</editable>\n        <field>Disposition__c.Outcome__c</field>\n        <readable>true</readable>\n    </fieldPermissions>\n    <hasActivationRequired>'
      )
    );
    expect(only(findings, 'permission-set')).toEqual([
      expect.objectContaining({ file: copy.shown(PERMSET), message: expect.stringContaining('Disposition__c.Outcome__c would fail the deploy: it is required') })
    ]);
  });

  it('a custom field no role permission set grants', async () => {
    const field = 'objects/Station__c/fields/Note__c.field-meta.xml';
    const { findings, copy } = await findingsAfter((c) =>
      c.write(field, c.read('objects/Station__c/fields/Key__c.field-meta.xml').replace('<fullName>Key__c</fullName>', '<fullName>Note__c</fullName>'))
    );
    expect(only(findings, 'fls-coverage')).toEqual([
      expect.objectContaining({ file: copy.shown(field), message: expect.stringContaining('Station__c.Note__c is not readable in any role permission set') })
    ]);
  });

  it('an integration permission set that grants more than the engine access list', async () => {
    const integration = 'permissionsets/ASL_Engine_Integration.permissionset-meta.xml';
    const { findings, copy } = await findingsAfter((c) =>
      c.replace(
        integration,
        /(<allowEdit>)false(<\/allowEdit>\s*<allowRead>true<\/allowRead>\s*<modifyAllRecords>false<\/modifyAllRecords>\s*<object>Invoice__c<\/object>)/,
        '$1true$2'
      )
    );
    expect(only(findings, 'integration-access')).toEqual([
      expect.objectContaining({
        file: copy.shown(integration),
        message: expect.stringMatching(/objectPermissions Invoice__c: allowEdit is true, the engine needs false.*access\.ts/)
      })
    ]);
  });

  it('a validation rule naming a missing field', async () => {
    const rule = 'objects/Lead/validationRules/Lead_Source_Required.validationRule-meta.xml';
    const { findings, copy } = await findingsAfter((c) => c.replace(rule, 'TEXT(LeadSource)', 'TEXT(LeadSorce)'));
    expect(only(findings, 'field-reference')).toEqual([
      expect.objectContaining({ file: copy.shown(rule), message: expect.stringContaining('Lead.LeadSorce') })
    ]);
  });

  it('a layout and a list view naming missing fields', async () => {
    const layout = 'layouts/Station__c-Station Layout.layout-meta.xml';
    const view = 'objects/Station__c/listViews/All.listView-meta.xml';
    const { findings, copy } = await findingsAfter((c) => {
      c.replace(layout, '<field>Key__c</field>', '<field>Kee__c</field>');
      c.replace(view, '<columns>Key__c</columns>', '<columns>Kee__c</columns>');
    });
    expect(only(findings, 'field-reference').map((f) => f.file).sort()).toEqual([copy.shown(layout), copy.shown(view)].sort());
  });

  it('a flow on another API version than the project', async () => {
    const { findings, copy } = await findingsAfter((c) => c.replace(FLOW, '<apiVersion>66.0</apiVersion>', '<apiVersion>58.0</apiVersion>'));
    expect(only(findings, 'api-version')).toEqual([expect.objectContaining({ file: copy.shown(FLOW), message: expect.stringContaining('58.0') })]);
  });

  it('two lookups with the same child relationship name on one parent', async () => {
    const field = 'objects/Disposition__c/fields/Station__c.field-meta.xml';
    const { findings, copy } = await findingsAfter((c) => c.replace(field, '<relationshipName>Dispositions</relationshipName>', '<relationshipName>Rules</relationshipName>'));
    expect(only(findings, 'object-model')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('child relationship Rules on Station__c') })
    ]);
    expect(only(findings, 'object-model')[0]?.message).toMatch(/Station_Rule__c|Disposition__c/);
    expect([copy.shown(field), copy.shown('objects/Station_Rule__c/fields/Station__c.field-meta.xml')]).toContain(only(findings, 'object-model')[0]?.file);
  });

  it('a file that does not convert to Metadata API format', async () => {
    const bad = 'flows/Broken.flowx-meta.xml';
    const { findings, copy } = await findingsAfter((c) => {
      mkdirSync(join(c.packageDir, 'main', 'default', 'flows'), { recursive: true });
      writeFileSync(join(c.packageDir, 'main', 'default', bad), '<?xml version="1.0" encoding="UTF-8"?>\n<Flow xmlns="http://soap.sforce.com/2006/04/metadata"/>\n');
    }, true);
    expect(only(findings, 'convert')).toEqual([
      expect.objectContaining({ file: copy.shown(bad), message: expect.stringContaining('does not convert to Metadata API format') })
    ]);
  });
});

describe('formulaFieldPaths', () => {
  it('finds field paths and skips functions, literals, globals and comments', () => {
    expect(formulaFieldPaths('ISNEW() && ISBLANK(TEXT(LeadSource))')).toEqual(['LeadSource']);
    expect(formulaFieldPaths('AND(Score__c > 10, Owner.Name = "Bin__c" /* Kind__c */, $User.Id <> null)')).toEqual(['Score__c', 'Owner.Name']);
  });
});
