import { fieldDef, fieldNames, SOBJECTS, type FieldName, type ObjectName } from './objects';

/**
 * What the engine's integration user reads and writes, per object. The permission set
 * force-app/main/default/permissionsets/ASL_Engine_Integration.permissionset-meta.xml must
 * hold exactly this (checked by the metadata checks; rewrite it with
 * `npm run check:metadata -- --write-integration-permset`). Change this list, not the XML,
 * when the engine needs new access.
 */
export interface ObjectAccess {
  readonly object: ObjectName;
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly create: boolean;
  readonly edit: boolean;
  readonly delete: boolean;
  readonly viewAll: boolean;
  readonly modifyAll: boolean;
  /** Why the engine needs this access (shown in docs and in check findings). */
  readonly why: string;
}

interface GrantSpec<O extends ObjectName> {
  read: readonly FieldName<O>[] | 'all';
  write?: readonly FieldName<O>[] | 'all';
  create?: boolean;
  edit?: boolean;
  viewAll?: boolean;
  modifyAll?: boolean;
  why: string;
}

function grant<O extends ObjectName>(object: O, spec: GrantSpec<O>): ObjectAccess {
  const all = fieldNames(object);
  const read = spec.read === 'all' ? all : spec.read;
  const write = spec.write === 'all' ? all : (spec.write ?? []);
  const modifyAll = spec.modifyAll ?? false;
  return {
    object,
    read,
    write,
    create: spec.create ?? false,
    edit: spec.edit ?? modifyAll,
    // Salesforce's Modify All Records includes delete ("read, edit, delete, transfer ... all
    // records", Object Permissions, Salesforce Help); there is no edit-all without delete.
    delete: modifyAll,
    viewAll: spec.viewAll ?? modifyAll,
    modifyAll,
    why: spec.why
  };
}

export const INTEGRATION_ACCESS: readonly ObjectAccess[] = [
  grant('Lead', {
    read: 'all',
    write: ['OwnerId', 'Bin__c', 'Station__c', 'Attempt_Count__c', 'Last_Attempt_At__c', 'Next_Action_At__c', 'Booked_By__c'],
    modifyAll: true,
    why: 'assigns every inbound lead (owner transfer) and moves it between bins and stations whoever owns it'
  }),
  grant('Account', {
    read: 'all',
    write: ['OwnerId', 'Bin__c', 'Station__c'],
    modifyAll: true,
    why: 'assigns accounts to onboarding and service and moves them between bins and stations'
  }),
  grant('Opportunity', {
    read: 'all',
    write: ['OwnerId', 'Station__c', 'Fit_Score__c'],
    modifyAll: true,
    why: 'assigns opportunities to AEs, moves them between stations, copies the latest fit score; forecasts read history'
  }),
  grant('Campaign', {
    read: 'all',
    edit: true,
    viewAll: true,
    why: 'campaign tests read every campaign; editing campaign members needs edit on the campaign'
  }),
  grant('CampaignMember', {
    read: 'all',
    write: ['Variant__c'],
    why: 'assigns the A/B/n message variant of each member (access follows the campaign)'
  }),
  grant('Case', { read: 'all', viewAll: true, why: 'the service station reads open cases and their priority' }),
  grant('Event', {
    read: 'all',
    write: ['Subject', 'WhoId'],
    why: 'the demo calendar reads reps\u2019 busy times (visibility follows the role hierarchy) and puts each booked demo in the AE\u2019s and engineer\u2019s calendars (needs Edit Events)'
  }),
  grant('User', { read: 'all', why: 'reps, their time zones and whether they are active' }),
  grant('Station__c', { read: 'all', write: ['Engine_State__c'], edit: true, why: 'the line: roles, handling minutes, WIP targets, SLAs; the open assignment blocks kept in Engine_State__c' }),
  grant('Station_Rule__c', { read: 'all', why: 'where each disposition sends the asset' }),
  grant('Stage_Event__c', {
    read: 'all',
    write: ['SLA_Breached__c', 'Breached_At__c'],
    modifyAll: true,
    why: 'cycle time, throughput, WIP and SLA per station; flags stays still open past their SLA (stage events are public read-only and owned by whoever moved the asset, so editing them needs Modify All)'
  }),
  grant('Disposition__c', {
    read: 'all',
    write: ['Processed_At__c', 'Lead__c', 'Asset_Id__c', 'Station__c', 'Rep__c'],
    create: true,
    edit: true,
    why: 'moves the asset for every disposition, then marks it processed so it is handled once; records the No Show or Cancelled disposition of a demo whose status changed, so the lead goes back to its booker'
  }),
  grant('Assignment__c', {
    read: 'all',
    write: 'all',
    create: true,
    edit: true,
    why: 'writes the assignment ledger; upsert on Ledger_Key__c makes retries idempotent (an upsert that matches needs edit)'
  }),
  grant('Rep_Capacity__c', { read: 'all', why: 'eligibility and caps of every rep; the team of each rep for forecast lines' }),
  grant('Queue_Entry__c', { read: 'all', write: 'all', create: true, edit: true, why: 'writes and re-ranks the SDR work queues' }),
  grant('Engine_Job__c', {
    read: 'all',
    write: ['Status__c', 'Status_Message__c', 'Last_Run_At__c', 'Next_Run_At__c', 'Run_Now__c'],
    edit: true,
    why: 'runs the jobs RevOps schedules and reports their status'
  }),
  grant('Job_Run__c', { read: 'all', write: 'all', create: true, edit: true, why: 'the run log of every job' }),
  grant('Forecast__c', { read: 'all', write: 'all', create: true, edit: true, why: 'writes forecasts (upsert on Key__c)' }),
  grant('Forecast_Line__c', { read: 'all', write: 'all', create: true, edit: true, why: 'writes forecast lines (upsert on Key__c)' }),
  grant('Demo_Type__c', { read: 'all', why: 'demo lengths and who must attend' }),
  grant('Demo_Slot__c', {
    read: 'all',
    write: 'all',
    create: true,
    edit: true,
    why: 'proposes free slots and books them (insert on the unique Slot_Key__c holds a slot atomically; a booking that loses an overlap cancels itself)'
  }),
  grant('Demo_Request__c', {
    read: 'all',
    write: ['Status__c', 'Result__c', 'Message__c', 'Answered_At__c', 'Seed__c'],
    edit: true,
    why: 'answers the Demo Calendar console: the ranked open slots and the standings, written into the request'
  }),
  grant('Campaign_Test__c', {
    read: 'all',
    write: ['Status__c', 'Result__c', 'P_Value__c', 'Winner__c'],
    edit: true,
    why: 'evaluates campaign tests and records the result'
  }),
  grant('Fit_Survey__c', { read: 'all', why: 'the latest fit score of each opportunity' }),
  grant('Invoice__c', { read: 'all', why: 'overdue invoices block upsell calls' }),
  grant('Engine_Signal__e', { read: 'all', write: 'all', create: true, why: 'publishes signals so the consoles refresh' })
];

/** System permissions the integration user needs besides object and field access. */
export const INTEGRATION_USER_PERMISSIONS = ['ApiEnabled', 'EditEvent'] as const;

export interface ObjectPermission {
  readonly object: string;
  readonly allowCreate: boolean;
  readonly allowDelete: boolean;
  readonly allowEdit: boolean;
  readonly allowRead: boolean;
  readonly modifyAllRecords: boolean;
  readonly viewAllRecords: boolean;
}

export interface FieldPermission {
  readonly field: string;
  readonly readable: boolean;
  readonly editable: boolean;
}

export interface PermissionSetAccess {
  readonly objectPermissions: readonly ObjectPermission[];
  readonly fieldPermissions: readonly FieldPermission[];
  readonly userPermissions: readonly string[];
}

/**
 * The object and field permissions that grant exactly INTEGRATION_ACCESS, in source-format
 * names (unprefixed: a package's own metadata never names its namespace). Fields without
 * field-level security are left out, as Salesforce rejects them in a permission set.
 */
export function integrationPermissions(access: readonly ObjectAccess[] = INTEGRATION_ACCESS): PermissionSetAccess {
  const objectPermissions: ObjectPermission[] = [];
  const fieldPermissions: FieldPermission[] = [];
  for (const a of access) {
    if (SOBJECTS[a.object].objectPermissions) {
      objectPermissions.push({
        object: a.object,
        allowCreate: a.create,
        allowDelete: a.delete,
        allowEdit: a.edit,
        allowRead: true,
        modifyAllRecords: a.modifyAll,
        viewAllRecords: a.viewAll
      });
    }
    const fields = new Set([...a.read, ...a.write]);
    for (const field of fields) {
      if (!fieldDef(a.object, field)?.fls) continue;
      fieldPermissions.push({ field: `${a.object}.${field}`, readable: true, editable: a.write.includes(field) });
    }
  }
  const byName = <T>(key: (t: T) => string) => (x: T, y: T) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0);
  objectPermissions.sort(byName((p) => p.object));
  fieldPermissions.sort(byName((p) => p.field));
  return { objectPermissions, fieldPermissions, userPermissions: [...INTEGRATION_USER_PERMISSIONS] };
}
