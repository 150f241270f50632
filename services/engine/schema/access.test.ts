import { fieldDef, INTEGRATION_ACCESS, integrationPermissions, SOBJECTS } from './index';

describe('the engine access list', () => {
  it('names each object once, and only fields of that object', () => {
    const objects = INTEGRATION_ACCESS.map((a) => a.object);
    expect(new Set(objects).size).toBe(objects.length);
    for (const access of INTEGRATION_ACCESS) {
      for (const field of [...access.read, ...access.write]) {
        expect({ object: access.object, field, known: Boolean(fieldDef(access.object, field)) }).toEqual({
          object: access.object,
          field,
          known: true
        });
      }
    }
  });

  it('writes only through create or edit access, except where access follows another object', () => {
    for (const access of INTEGRATION_ACCESS) {
      if (access.write.length === 0 || !SOBJECTS[access.object].objectPermissions) continue;
      expect({ object: access.object, canWrite: access.create || access.edit }).toEqual({ object: access.object, canWrite: true });
    }
  });

  it('grants Modify All only with the permissions Salesforce ties to it (Object Permissions, Salesforce Help)', () => {
    for (const access of INTEGRATION_ACCESS.filter((a) => a.modifyAll)) {
      expect([access.object, access.edit, access.delete, access.viewAll]).toEqual([access.object, true, true, true]);
    }
  });

  it('deletes nothing except where Modify All implies it', () => {
    expect(INTEGRATION_ACCESS.filter((a) => a.delete && !a.modifyAll)).toEqual([]);
  });

  it('publishes platform events with Create and Read only', () => {
    const events = INTEGRATION_ACCESS.filter((a) => SOBJECTS[a.object].kind === 'platformEvent');
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect([e.create, e.edit, e.delete, e.viewAll]).toEqual([true, false, false, false]);
  });
});

describe('integrationPermissions', () => {
  const access = integrationPermissions();

  it('lists field permissions only for fields with field-level security', () => {
    for (const p of access.fieldPermissions) {
      const [object = '', field = ''] = p.field.split('.');
      expect({ field: p.field, fls: fieldDef(object as keyof typeof SOBJECTS, field)?.fls }).toEqual({ field: p.field, fls: true });
    }
  });

  it('makes written fields editable and read fields readable', () => {
    const byField = new Map(access.fieldPermissions.map((p) => [p.field, p]));
    expect(byField.get('Lead.Bin__c')).toEqual({ field: 'Lead.Bin__c', readable: true, editable: true });
    expect(byField.get('Lead.Fame_Band__c')).toEqual({ field: 'Lead.Fame_Band__c', readable: true, editable: false });
    expect(byField.get('Disposition__c.Processed_At__c')?.editable).toBe(true);
    expect(byField.get('Disposition__c.Outcome__c')).toBeUndefined(); // required: follows the object
    expect(byField.get('Engine_Signal__e.Kind__c')).toBeUndefined(); // platform events have no FLS
  });

  it('has no object permission where Salesforce has none', () => {
    const objects = access.objectPermissions.map((p) => p.object);
    expect(objects).not.toContain('CampaignMember');
    expect(objects).not.toContain('Event');
    expect(objects).not.toContain('User');
    expect(objects).toEqual([...objects].sort());
  });
});
