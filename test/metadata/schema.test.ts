import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineSchemaRule, grantedAccess, integrationRule, INTEGRATION_PERMISSION_SET } from '../../scripts/metadata/checks';
import { renderIntegrationPermissionSet } from '../../scripts/metadata/integrationPermissionSet';
import { loadProject, resolveField } from '../../scripts/metadata/project';
import { parseXml } from '../../scripts/metadata/xml';
import { GLOBAL_VALUE_SETS, integrationPermissions, OBJECT_NAMES, SOBJECTS } from '../../services/engine/schema';
import { copyPackage, FORCE_APP } from './fixture';

// services/engine/schema is the engine's only source of API names; these tests keep it and
// force-app from drifting apart (docs/data-model.md).

const INTEGRATION_FILE = join(FORCE_APP, 'main', 'default', 'permissionsets', `${INTEGRATION_PERMISSION_SET}.permissionset-meta.xml`);

describe('services/engine/schema against force-app', () => {
  const project = loadProject(FORCE_APP);

  it('names only objects and fields that exist, with the same type, field-level security and picklist values', () => {
    expect(engineSchemaRule(project)).toEqual([]);
  });

  it('names every custom field of the package objects it uses', () => {
    // The engine reads whole records of its own objects; a field added to force-app but not
    // to the schema would silently never reach it.
    const missing: string[] = [];
    for (const object of OBJECT_NAMES) {
      const known: Readonly<Record<string, unknown>> = SOBJECTS[object].fields;
      for (const field of project.objects.get(object)?.fields.keys() ?? []) {
        if (!known[field]) missing.push(`${object}.${field}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('knows every global value set of the package', () => {
    expect([...project.globalValueSets.keys()].sort()).toEqual(Object.keys(GLOBAL_VALUE_SETS).sort());
  });

  it('resolves relationship paths the engine uses in SOQL', () => {
    expect(resolveField(project, 'Lead', 'Station__c')?.referenceTo).toBe('Station__c');
    expect(resolveField(project, 'Forecast_Line__c', 'Forecast__c')?.fls).toBe(false);
  });

  it('reports a field the engine names that force-app lost, naming the schema file and the field', () => {
    const copy = copyPackage();
    try {
      copy.remove('objects/Lead/fields/List_Name__c.field-meta.xml');
      const findings = engineSchemaRule(loadProject(copy.packageDir));
      expect(findings).toEqual([
        expect.objectContaining({ file: 'services/engine/schema/objects.ts', message: expect.stringContaining('Lead.List_Name__c') })
      ]);
    } finally {
      copy.cleanup();
    }
  });

  it('reports a picklist value that differs', () => {
    const copy = copyPackage();
    try {
      copy.replace('globalValueSets/ASL_Segment.globalValueSet-meta.xml', /Mid-Market/g, 'Midmarket');
      const findings = engineSchemaRule(loadProject(copy.packageDir));
      expect(findings.map((f) => f.message)).toEqual(
        expect.arrayContaining([expect.stringContaining('global value set ASL_Segment differs'), expect.stringContaining('Lead.Segment__c values differ')])
      );
    } finally {
      copy.cleanup();
    }
  });
});

describe('the integration permission set', () => {
  it('holds exactly the engine access list', () => {
    const parsed = parseXml(readFileSync(INTEGRATION_FILE, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.reason);
    const expected = integrationPermissions();
    const actual = grantedAccess(parsed.root);
    expect(actual.objectPermissions).toEqual(expected.objectPermissions);
    expect(actual.fieldPermissions).toEqual(expected.fieldPermissions);
    expect(actual.userPermissions).toEqual(expected.userPermissions);
    expect(integrationRule(loadProject(FORCE_APP))).toEqual([]);
  });

  it('is the file generated from the access list, byte for byte', () => {
    expect(readFileSync(INTEGRATION_FILE, 'utf8')).toBe(renderIntegrationPermissionSet());
  });

  it('reports a grant the access list lacks and one it has that the file misses', () => {
    const copy = copyPackage();
    try {
      const rel = `permissionsets/${INTEGRATION_PERMISSION_SET}.permissionset-meta.xml`;
      copy.replace(rel, /\s*<fieldPermissions>\s*<editable>true<\/editable>\s*<field>Lead\.Bin__c<\/field>\s*<readable>true<\/readable>\s*<\/fieldPermissions>/, '');
      copy.replace(
        rel,
        '<hasActivationRequired>',
        '<fieldPermissions>\n        <editable>true</editable>\n        <field>Lead.Language__c</field>\n        <readable>true</readable>\n    </fieldPermissions>\n    <hasActivationRequired>'
      );
      const findings = integrationRule(loadProject(copy.packageDir));
      expect(findings.map((f) => f.message)).toEqual([
        expect.stringContaining('missing fieldPermissions Lead.Bin__c'),
        expect.stringContaining('fieldPermissions Lead.Language__c: editable is true, the engine needs false')
      ]);
      expect(findings.every((f) => f.file === copy.shown(rel))).toBe(true);
    } finally {
      copy.cleanup();
    }
  });
});
