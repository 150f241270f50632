/**
 * Every object and field the engine reads or writes, by unprefixed API name (docs/data-model.md).
 * This is the engine's only source of these names; test/metadata/schema.test.ts checks each
 * one against force-app (custom ones) and against the standard fields the product relies on,
 * so the package and the engine cannot drift. Apply the org's namespace with apiNames().
 *
 * `type` is the field's describe type (as the REST describe and UI API report it); `fls` says
 * whether Salesforce lets a permission set grant field-level security on it. Required fields,
 * master-detail fields, platform event fields and system fields (Id, OwnerId, IsWon, ...) have
 * none: their access follows object access.
 */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'phone'
  | 'picklist'
  | 'reference'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime';

export interface FieldDef {
  readonly type: FieldType;
  readonly fls: boolean;
}

export interface ObjectDef {
  readonly kind: 'standard' | 'custom' | 'platformEvent';
  /** False where Salesforce has no object permission for it (access derives from other objects). */
  readonly objectPermissions: boolean;
  readonly fields: Readonly<Record<string, FieldDef>>;
}

/** A custom field that permission sets grant. */
const c = (type: FieldType): FieldDef => ({ type, fls: true });
/** A required custom field or a master-detail field: visible and editable with the object. */
const req = (type: FieldType): FieldDef => ({ type, fls: false });
/** A platform event field: field-level security does not apply. */
const ev = (type: FieldType): FieldDef => ({ type, fls: false });
/** A standard field whose field-level security a permission set can grant. */
const std = (type: FieldType): FieldDef => ({ type, fls: true });
/** A standard field without field-level security (system, required or name fields). */
const sys = (type: FieldType): FieldDef => ({ type, fls: false });

const customStandardFields = {
  Id: sys('id'),
  Name: sys('string'),
  OwnerId: sys('reference'),
  CreatedDate: sys('datetime'),
  LastModifiedDate: sys('datetime')
} as const;

const custom = <F extends Record<string, FieldDef>>(fields: F) =>
  ({ kind: 'custom', objectPermissions: true, fields: { ...customStandardFields, ...fields } }) as const;

export const SOBJECTS = {
  Lead: {
    kind: 'standard',
    objectPermissions: true,
    fields: {
      Id: sys('id'),
      Name: sys('string'),
      Company: sys('string'),
      Phone: std('phone'),
      Status: sys('picklist'),
      LeadSource: std('picklist'),
      DoNotCall: std('boolean'),
      OwnerId: sys('reference'),
      IsConverted: sys('boolean'),
      ConvertedOpportunityId: sys('reference'),
      CreatedDate: sys('datetime'),
      LastModifiedDate: sys('datetime'),
      Bin__c: c('picklist'),
      Bin_Entered_At__c: c('datetime'),
      Station__c: c('reference'),
      Station_Entered_At__c: c('datetime'),
      Segment__c: c('picklist'),
      Time_Zone__c: c('string'),
      Language__c: c('string'),
      Product_Interest__c: c('string'),
      Inbound__c: c('boolean'),
      Fame_Band__c: c('picklist'),
      Attempt_Count__c: c('double'),
      Last_Attempt_At__c: c('datetime'),
      Next_Action_At__c: c('datetime'),
      Booked_By__c: c('reference'),
      List_Name__c: c('string')
    }
  },
  Account: {
    kind: 'standard',
    objectPermissions: true,
    fields: {
      Id: sys('id'),
      Name: sys('string'),
      OwnerId: sys('reference'),
      Type: std('picklist'),
      CreatedDate: sys('datetime'),
      Bin__c: c('picklist'),
      Bin_Entered_At__c: c('datetime'),
      Station__c: c('reference'),
      Station_Entered_At__c: c('datetime'),
      Segment__c: c('picklist'),
      Time_Zone__c: c('string'),
      Has_Overdue_Invoice__c: c('boolean')
    }
  },
  Opportunity: {
    kind: 'standard',
    objectPermissions: true,
    fields: {
      Id: sys('id'),
      Name: sys('string'),
      StageName: sys('picklist'),
      Amount: std('currency'),
      CloseDate: sys('date'),
      IsClosed: sys('boolean'),
      IsWon: sys('boolean'),
      OwnerId: sys('reference'),
      AccountId: std('reference'),
      LeadSource: std('picklist'),
      CreatedDate: sys('datetime'),
      Station__c: c('reference'),
      Station_Entered_At__c: c('datetime'),
      Product__c: c('string'),
      Fit_Score__c: c('double'),
      Lead_Source_Detail__c: c('string')
    }
  },
  Campaign: {
    kind: 'standard',
    objectPermissions: true,
    fields: { Id: sys('id'), Name: sys('string') }
  },
  CampaignMember: {
    kind: 'standard',
    objectPermissions: false,
    fields: {
      Id: sys('id'),
      CampaignId: sys('reference'),
      LeadId: sys('reference'),
      Status: sys('picklist'),
      Variant__c: c('string')
    }
  },
  Case: {
    kind: 'standard',
    objectPermissions: true,
    fields: {
      Id: sys('id'),
      Priority: std('picklist'),
      IsClosed: sys('boolean'),
      AccountId: std('reference'),
      CreatedDate: sys('datetime')
    }
  },
  Event: {
    kind: 'standard',
    objectPermissions: false,
    fields: {
      Id: sys('id'),
      Subject: sys('string'),
      WhoId: sys('reference'),
      StartDateTime: sys('datetime'),
      EndDateTime: sys('datetime'),
      IsAllDayEvent: sys('boolean'),
      ShowAs: sys('picklist'),
      OwnerId: sys('reference')
    }
  },
  User: {
    kind: 'standard',
    objectPermissions: false,
    fields: {
      Id: sys('id'),
      Name: sys('string'),
      IsActive: sys('boolean'),
      TimeZoneSidKey: sys('picklist')
    }
  },
  Station__c: custom({
    Key__c: c('string'),
    Role__c: c('picklist'),
    Asset_Type__c: c('picklist'),
    Handling_Minutes__c: c('double'),
    Target_WIP__c: c('double'),
    SLA_Hours__c: c('double'),
    Order__c: c('double'),
    Active__c: c('boolean'),
    Hourly_Cap_Override__c: c('double'),
    Engine_State__c: c('textarea')
  }),
  Station_Rule__c: custom({
    Key__c: c('string'),
    Station__c: req('reference'),
    Outcome__c: c('picklist'),
    Next_Station__c: c('reference'),
    Next_Bin__c: c('picklist'),
    Reentry_Days__c: c('double'),
    Owner_Rule__c: c('picklist')
  }),
  Stage_Event__c: custom({
    Asset_Id__c: c('string'),
    Asset_Type__c: c('picklist'),
    Lead__c: c('reference'),
    Account__c: c('reference'),
    Opportunity__c: c('reference'),
    Kind__c: c('picklist'),
    From_Value__c: c('string'),
    To_Value__c: c('string'),
    Entered_At__c: c('datetime'),
    Exited_At__c: c('datetime'),
    Duration_Minutes__c: c('double'),
    Changed_By__c: c('reference'),
    SLA_Due_At__c: c('datetime'),
    SLA_Breached__c: c('boolean'),
    Breached_At__c: c('datetime')
  }),
  Disposition__c: custom({
    Lead__c: c('reference'),
    Account__c: c('reference'),
    Opportunity__c: c('reference'),
    Asset_Id__c: c('string'),
    Station__c: c('reference'),
    Rep__c: c('reference'),
    Purpose__c: c('picklist'),
    Outcome__c: req('picklist'),
    Reason_Code__c: c('picklist'),
    Duration_Seconds__c: c('double'),
    Next_Action_At__c: c('datetime'),
    Attempt_Number__c: c('double'),
    Queue_Entry__c: c('reference'),
    Processed_At__c: c('datetime')
  }),
  Assignment__c: custom({
    Ledger_Key__c: c('string'),
    Asset_Id__c: c('string'),
    Asset_Type__c: c('picklist'),
    Rep__c: c('reference'),
    Station__c: c('reference'),
    Stratum__c: c('string'),
    Block__c: c('double'),
    Block_Size__c: c('double'),
    Draw__c: c('double'),
    Seed__c: c('string'),
    Method__c: c('picklist'),
    Job_Run__c: c('reference'),
    Assigned_At__c: c('datetime'),
    Apply_Owner__c: c('boolean')
  }),
  Rep_Capacity__c: custom({
    User__c: req('reference'),
    Key__c: c('string'),
    Station_Keys__c: c('string'),
    Skills__c: c('string'),
    Weight__c: c('double'),
    Time_Zone__c: c('string'),
    Shift_Start_Hour__c: c('double'),
    Shift_End_Hour__c: c('double'),
    Working_Days__c: c('string'),
    Leave_Start__c: c('date'),
    Leave_End__c: c('date'),
    WIP_Cap__c: c('double'),
    Hourly_Cap_Override__c: c('double'),
    Demo_Target__c: c('double'),
    Team__c: c('string'),
    City__c: c('string'),
    Active__c: c('boolean')
  }),
  Queue_Entry__c: custom({
    Entry_Key__c: c('string'),
    SDR__c: c('reference'),
    Lead__c: c('reference'),
    Account__c: c('reference'),
    Asset_Id__c: c('string'),
    Rank__c: c('double'),
    Purpose__c: c('picklist'),
    Due_At__c: c('datetime'),
    Guidance_Key__c: c('string'),
    Allowed_Outcomes__c: c('string'),
    Attempt_Number__c: c('double'),
    Status__c: c('picklist'),
    Ranked_At__c: c('datetime'),
    Expected_Value__c: c('double')
  }),
  Engine_Job__c: custom({
    Type__c: c('picklist'),
    Cron__c: c('string'),
    Scope__c: c('textarea'),
    Enabled__c: c('boolean'),
    Run_Now__c: c('boolean'),
    Status__c: c('picklist'),
    Status_Message__c: c('string'),
    Last_Run_At__c: c('datetime'),
    Next_Run_At__c: c('datetime')
  }),
  Job_Run__c: custom({
    Engine_Job__c: c('reference'),
    Job_Type__c: c('string'),
    Started_At__c: c('datetime'),
    Finished_At__c: c('datetime'),
    Records_Touched__c: c('double'),
    API_Calls__c: c('double'),
    Outcome__c: c('picklist'),
    Error_Summary__c: c('textarea'),
    Run_Key__c: c('string'),
    Result__c: c('textarea')
  }),
  Forecast__c: custom({
    Key__c: c('string'),
    Period_Type__c: c('picklist'),
    Period_Start__c: c('date'),
    As_Of__c: c('date'),
    Method__c: c('string'),
    Generated_At__c: c('datetime'),
    Backtest_WAPE__c: c('percent'),
    Backtest_Coverage__c: c('percent'),
    Expected__c: c('currency'),
    P10__c: c('currency'),
    P50__c: c('currency'),
    P90__c: c('currency'),
    Closed_To_Date__c: c('currency')
  }),
  Forecast_Line__c: {
    kind: 'custom',
    objectPermissions: true,
    // A detail record has no owner: ownership and sharing come from its Forecast.
    fields: {
      Id: sys('id'),
      Name: sys('string'),
      CreatedDate: sys('datetime'),
      Forecast__c: req('reference'),
      Key__c: c('string'),
      Dimension__c: c('picklist'),
      Dimension_Value__c: c('string'),
      Expected__c: c('currency'),
      P10__c: c('currency'),
      P50__c: c('currency'),
      P90__c: c('currency'),
      Closed_To_Date__c: c('currency')
    }
  },
  Demo_Type__c: custom({
    Key__c: c('string'),
    Duration_Minutes__c: c('double'),
    Needs_AE__c: c('boolean'),
    Needs_Engineer__c: c('boolean'),
    Field_Meeting__c: c('boolean'),
    Active__c: c('boolean')
  }),
  Demo_Slot__c: custom({
    Slot_Key__c: c('string'),
    Demo_Type__c: c('reference'),
    AE__c: c('reference'),
    Engineer__c: c('reference'),
    Start__c: c('datetime'),
    End__c: c('datetime'),
    Status__c: c('picklist'),
    Lead__c: c('reference'),
    Opportunity__c: c('reference'),
    Booked_By__c: c('reference'),
    City__c: c('string'),
    Returned_At__c: c('datetime')
  }),
  Demo_Request__c: custom({
    Demo_Type__c: c('reference'),
    Lead__c: c('reference'),
    Days__c: c('double'),
    City__c: c('string'),
    Customer_Time_Zone__c: c('string'),
    Status__c: c('picklist'),
    Result__c: c('textarea'),
    Message__c: c('string'),
    Answered_At__c: c('datetime'),
    Seed__c: c('string')
  }),
  Campaign_Test__c: custom({
    Campaign__c: c('reference'),
    Variants__c: c('string'),
    Allocation__c: c('string'),
    Metric__c: c('picklist'),
    Status__c: c('picklist'),
    Seed__c: c('string'),
    Result__c: c('textarea'),
    P_Value__c: c('double'),
    Winner__c: c('string')
  }),
  Fit_Survey__c: custom({
    Opportunity__c: req('reference'),
    Score__c: c('double'),
    Answers__c: c('textarea'),
    Surveyed_At__c: c('datetime')
  }),
  Invoice__c: custom({
    Account__c: c('reference'),
    Amount__c: c('currency'),
    Due_Date__c: c('date'),
    Paid__c: c('boolean')
  }),
  Engine_Signal__e: {
    kind: 'platformEvent',
    objectPermissions: true,
    fields: {
      ReplayId: ev('string'),
      CreatedDate: ev('datetime'),
      Kind__c: ev('string'),
      Record_Id__c: ev('string'),
      Payload__c: ev('textarea')
    }
  }
} as const satisfies Record<string, ObjectDef>;

export type SObjects = typeof SOBJECTS;
export type ObjectName = keyof SObjects;
export type FieldName<O extends ObjectName> = keyof SObjects[O]['fields'] & string;

export const OBJECT_NAMES = Object.keys(SOBJECTS) as ObjectName[];

export function fieldNames<O extends ObjectName>(object: O): FieldName<O>[] {
  return Object.keys(SOBJECTS[object].fields) as FieldName<O>[];
}

export function fieldDef(object: ObjectName, field: string): FieldDef | undefined {
  const fields: Readonly<Record<string, FieldDef>> = SOBJECTS[object].fields;
  return fields[field];
}
