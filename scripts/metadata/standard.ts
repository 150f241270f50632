/**
 * The standard objects and fields the product relies on (docs/data-model.md, "Standard fields
 * the product relies on", plus the system fields layouts, flows and list views name). A name
 * outside this list and outside force-app is reported as unknown: add it here only after
 * checking the Salesforce Object Reference.
 *
 * `fls`: whether field-level security can be granted in a permission set. Required fields
 * (Company, Status, StageName, CloseDate), system fields (Id, OwnerId, IsWon, CreatedDate) and
 * name fields cannot, and Salesforce rejects a permission set that lists them.
 * `objectPermissions`: false where Salesforce has no object permission (CampaignMember access
 * follows its campaign; Event follows activity settings; User is always readable).
 */
export interface StandardField {
  readonly fls: boolean;
  /** For lookups: the object the field points to (its relationship name is the name minus Id). */
  readonly referenceTo?: string;
}

export interface StandardObject {
  readonly objectPermissions: boolean;
  readonly fields: Readonly<Record<string, StandardField>>;
}

const sys: StandardField = { fls: false };
const fls: StandardField = { fls: true };
const toUser: StandardField = { fls: false, referenceTo: 'User' };

const audit = {
  Id: sys,
  CreatedDate: sys,
  CreatedById: toUser,
  LastModifiedDate: sys,
  LastModifiedById: toUser,
  SystemModstamp: sys
} as const;

export const STANDARD_OBJECTS: Readonly<Record<string, StandardObject>> = {
  Lead: {
    objectPermissions: true,
    fields: {
      ...audit,
      Name: sys,
      LastName: sys,
      Company: sys,
      Status: sys,
      Phone: fls,
      LeadSource: fls,
      DoNotCall: fls,
      OwnerId: toUser,
      IsConverted: sys,
      // Set by lead conversion only (Object Reference, Lead: ConvertedOpportunityId).
      ConvertedOpportunityId: { fls: false, referenceTo: 'Opportunity' }
    }
  },
  Account: {
    objectPermissions: true,
    fields: { ...audit, Name: sys, OwnerId: toUser, Type: fls }
  },
  Opportunity: {
    objectPermissions: true,
    fields: {
      ...audit,
      Name: sys,
      StageName: sys,
      CloseDate: sys,
      Amount: fls,
      IsClosed: sys,
      IsWon: sys,
      OwnerId: toUser,
      AccountId: { fls: true, referenceTo: 'Account' },
      LeadSource: fls
    }
  },
  Campaign: { objectPermissions: true, fields: { ...audit, Name: sys, OwnerId: toUser } },
  CampaignMember: {
    objectPermissions: false,
    fields: {
      ...audit,
      CampaignId: { fls: false, referenceTo: 'Campaign' },
      LeadId: { fls: false, referenceTo: 'Lead' },
      Status: sys
    }
  },
  Case: {
    objectPermissions: true,
    fields: { ...audit, Priority: fls, IsClosed: sys, AccountId: { fls: true, referenceTo: 'Account' }, OwnerId: toUser }
  },
  Event: {
    objectPermissions: false,
    // Subject and WhoId: the demo calendar writes the booked demo's Event (activity FLS is
    // governed by activity settings, not granted per Event field in permission sets).
    fields: { ...audit, Subject: sys, WhoId: sys, StartDateTime: sys, EndDateTime: sys, IsAllDayEvent: sys, ShowAs: sys, OwnerId: toUser }
  },
  User: {
    objectPermissions: false,
    fields: { ...audit, Name: sys, IsActive: sys, TimeZoneSidKey: sys }
  }
};

/** Standard fields every custom object has (Object Reference, "Custom Objects", system fields). */
export const CUSTOM_OBJECT_FIELDS: Readonly<Record<string, StandardField>> = {
  ...audit,
  Name: sys,
  OwnerId: toUser,
  IsDeleted: sys
};

/** Standard fields of a platform event message (Platform Events Developer Guide, "Standard Fields"). */
export const PLATFORM_EVENT_FIELDS: Readonly<Record<string, StandardField>> = {
  ReplayId: sys,
  CreatedDate: sys,
  CreatedById: toUser,
  EventUuid: sys
};

/** List view columns that name standard fields by a token instead of an API name. */
export const LIST_VIEW_COLUMN_TOKENS: ReadonlySet<string> = new Set([
  'NAME',
  'OWNER.ALIAS',
  'OWNER.FIRST_NAME',
  'OWNER.LAST_NAME',
  'CREATED_DATE',
  'LAST_UPDATE',
  'CREATEDBY_USER.ALIAS',
  'UPDATEDBY_USER.ALIAS'
]);

/** Global variables a flow may reference ({!$User.Id}, {!$Flow.CurrentDateTime}, ...). */
export const FLOW_GLOBALS: ReadonlySet<string> = new Set([
  '$Flow',
  '$User',
  '$Api',
  '$Organization',
  '$Profile',
  '$UserRole',
  '$Permission',
  '$Setup',
  '$System',
  '$Label',
  '$Client'
]);
