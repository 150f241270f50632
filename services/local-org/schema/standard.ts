/**
 * Built-in definitions of the standard objects the product touches, with the fields, key
 * prefixes and default picklist values of a new Salesforce org (Object Reference for the
 * Salesforce Platform: Lead, Account, Contact, Opportunity, OpportunityHistory, Campaign,
 * CampaignMember, Event, Task, Case, User, Organization, PermissionSet,
 * PermissionSetAssignment). Record types, Profile and UserRole are out of scope; PermissionSet
 * carries only its identity (no object/field permissions), enough for `asl doctor` to check
 * who holds which permission set. Standard value sets in force-app (standardValueSets/) replace
 * these defaults, and custom fields from force-app are added on top.
 */
import { field, lookup, number, pick, picklist, readOnly, sobject, text } from './build';
import type { FieldDef, PicklistValue, SObjectDef } from './types';

const LEAD_SOURCE = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const INDUSTRY = [
  'Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Chemicals', 'Communications', 'Construction',
  'Consulting', 'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Environmental',
  'Finance', 'Food & Beverage', 'Government', 'Healthcare', 'Hospitality', 'Insurance', 'Machinery',
  'Manufacturing', 'Media', 'Not For Profit', 'Recreation', 'Retail', 'Shipping', 'Technology',
  'Telecommunications', 'Transportation', 'Utilities', 'Other',
];
const SALUTATION = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'];
const RATING = ['Hot', 'Warm', 'Cold'];
const ACCOUNT_TYPE = [
  'Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner',
  'Technology Partner', 'Other',
];

/** OpportunityStage standard value set of a new org, with the facts derived fields come from. */
export const DEFAULT_OPPORTUNITY_STAGES: PicklistValue[] = [
  stage('Prospecting', 10, 'Pipeline'),
  stage('Qualification', 10, 'Pipeline'),
  stage('Needs Analysis', 20, 'Pipeline'),
  stage('Value Proposition', 50, 'Pipeline'),
  stage('Id. Decision Makers', 60, 'Pipeline'),
  stage('Perception Analysis', 70, 'Pipeline'),
  stage('Proposal/Price Quote', 75, 'Pipeline'),
  stage('Negotiation/Review', 90, 'Pipeline'),
  stage('Closed Won', 100, 'Closed', { closed: true, won: true }),
  stage('Closed Lost', 0, 'Omitted', { closed: true, won: false }),
];

function stage(value: string, probability: number, forecastCategory: string, flags: { closed?: boolean; won?: boolean } = {}): PicklistValue {
  return pick(value, { probability, forecastCategory, closed: flags.closed ?? false, won: flags.won ?? false });
}

const FORECAST_CATEGORY_NAMES = ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'];
/** ForecastCategory (API values) for each ForecastCategoryName (labels). */
export const FORECAST_CATEGORY_API: Record<string, string> = {
  Omitted: 'Omitted',
  Pipeline: 'Pipeline',
  'Best Case': 'BestCase',
  Commit: 'Forecast',
  Closed: 'Closed',
};

function address(prefix: string): FieldDef[] {
  return [
    field(`${prefix}Street`, 'textarea', { length: 255 }),
    text(`${prefix}City`, 40),
    text(`${prefix}State`, 80),
    text(`${prefix}PostalCode`, 20),
    text(`${prefix}Country`, 80),
  ];
}

function personName(): FieldDef[] {
  return [
    picklist('Salutation', SALUTATION),
    text('FirstName', 40),
    text('LastName', 80, { nillable: false }),
    readOnly('Name', 'string', { length: 121, label: 'Full Name' }),
  ];
}

function user(): SObjectDef {
  return sobject({
    name: 'User',
    keyPrefix: '005',
    owner: false,
    deletable: false,
    fields: [
      text('Username', 80, { nillable: false, unique: true, idLookup: true }),
      ...personName().filter((f) => f.name !== 'Salutation'),
      field('Email', 'email', { length: 128, nillable: false }),
      text('Alias', 8, { defaultedOnCreate: true }),
      text('CommunityNickname', 40, { defaultedOnCreate: true }),
      field('IsActive', 'boolean', { label: 'Active', defaultValue: true }),
      picklist('TimeZoneSidKey', [], { label: 'Time Zone', defaultedOnCreate: true, nillable: false }),
      picklist('LocaleSidKey', [pick('en_US')], { label: 'Locale', defaultedOnCreate: true, nillable: false }),
      picklist('LanguageLocaleKey', [pick('en_US')], { label: 'Language', defaultedOnCreate: true, nillable: false }),
      picklist('EmailEncodingKey', [pick('UTF-8'), pick('ISO-8859-1')], { label: 'Email Encoding', defaultedOnCreate: true, nillable: false }),
      text('Title', 80),
      text('Department', 80),
      text('Division', 80),
      text('CompanyName', 80),
      field('Phone', 'phone', { length: 40 }),
      field('MobilePhone', 'phone', { length: 40 }),
      ...address(''),
      lookup('ManagerId', ['User'], 'Manager'),
      text('FederationIdentifier', 512),
      text('EmployeeNumber', 20),
      readOnly('UserType', 'picklist', { picklistValues: [pick('Standard')], defaultValue: 'Standard' }),
      readOnly('LastLoginDate', 'datetime'),
    ],
  });
}

function organization(): SObjectDef {
  return sobject({
    name: 'Organization',
    keyPrefix: '00D',
    owner: false,
    createable: false,
    updateable: false,
    deletable: false,
    fields: [
      readOnly('Name', 'string', { length: 80 }),
      readOnly('Division', 'string', { length: 80 }),
      readOnly('OrganizationType', 'picklist', { picklistValues: [pick('Developer Edition'), pick('Enterprise Edition')] }),
      readOnly('InstanceName', 'string', { length: 5 }),
      readOnly('IsSandbox', 'boolean'),
      readOnly('NamespacePrefix', 'string', { length: 15 }),
      readOnly('TimeZoneSidKey', 'picklist'),
      readOnly('LanguageLocaleKey', 'picklist'),
      readOnly('DefaultLocaleSidKey', 'picklist'),
      readOnly('FiscalYearStartMonth', 'int'),
      readOnly('Country', 'string', { length: 80 }),
      readOnly('City', 'string', { length: 40 }),
      readOnly('TrialExpirationDate', 'datetime'),
    ],
  });
}

function lead(): SObjectDef {
  return sobject({
    name: 'Lead',
    keyPrefix: '00Q',
    owner: true,
    fields: [
      ...personName(),
      text('Title', 128),
      text('Company', 255, { nillable: false }),
      field('Email', 'email', { length: 80 }),
      field('Phone', 'phone', { length: 40 }),
      field('MobilePhone', 'phone', { length: 40 }),
      ...address(''),
      field('Website', 'url', { length: 255 }),
      field('Description', 'textarea', { length: 32000 }),
      picklist('LeadSource', LEAD_SOURCE),
      picklist(
        'Status',
        [
          pick('Open - Not Contacted', { defaultValue: true }),
          pick('Working - Contacted'),
          pick('Closed - Converted', { converted: true }),
          pick('Closed - Not Converted'),
        ],
        { nillable: false },
      ),
      picklist('Industry', INDUSTRY),
      picklist('Rating', RATING),
      number('AnnualRevenue', 'currency', 18, 0),
      number('NumberOfEmployees', 'int', 8, 0),
      field('DoNotCall', 'boolean'),
      field('HasOptedOutOfEmail', 'boolean', { label: 'Email Opt Out' }),
      field('IsConverted', 'boolean', { label: 'Converted', updateable: false }),
      readOnly('ConvertedDate', 'date'),
      readOnly('ConvertedAccountId', 'reference', { referenceTo: ['Account'], relationshipName: 'ConvertedAccount' }),
      readOnly('ConvertedContactId', 'reference', { referenceTo: ['Contact'], relationshipName: 'ConvertedContact' }),
      readOnly('ConvertedOpportunityId', 'reference', { referenceTo: ['Opportunity'], relationshipName: 'ConvertedOpportunity' }),
      field('IsUnreadByOwner', 'boolean', { label: 'Unread By Owner' }),
      readOnly('LastActivityDate', 'date'),
    ],
  });
}

function account(): SObjectDef {
  return sobject({
    name: 'Account',
    keyPrefix: '001',
    owner: true,
    fields: [
      text('Name', 255, { nillable: false, label: 'Account Name' }),
      picklist('Type', ACCOUNT_TYPE, { label: 'Account Type' }),
      lookup('ParentId', ['Account'], 'Parent'),
      ...address('Billing'),
      ...address('Shipping'),
      field('Phone', 'phone', { length: 40 }),
      field('Fax', 'phone', { length: 40 }),
      text('AccountNumber', 40),
      field('Website', 'url', { length: 255 }),
      text('Sic', 20),
      picklist('Industry', INDUSTRY),
      number('AnnualRevenue', 'currency', 18, 0),
      number('NumberOfEmployees', 'int', 8, 0),
      picklist('Ownership', ['Public', 'Private', 'Subsidiary', 'Other']),
      picklist('Rating', RATING),
      text('Site', 80),
      picklist('AccountSource', LEAD_SOURCE),
      field('Description', 'textarea', { length: 32000 }),
      readOnly('LastActivityDate', 'date'),
    ],
  });
}

function contact(): SObjectDef {
  return sobject({
    name: 'Contact',
    keyPrefix: '003',
    owner: true,
    fields: [
      lookup('AccountId', ['Account'], 'Account', { cascadeDelete: true }),
      ...personName(),
      text('Title', 128),
      text('Department', 80),
      field('Email', 'email', { length: 80 }),
      field('Phone', 'phone', { length: 40 }),
      field('MobilePhone', 'phone', { length: 40 }),
      ...address('Mailing'),
      field('Birthdate', 'date'),
      picklist('LeadSource', LEAD_SOURCE),
      lookup('ReportsToId', ['Contact'], 'ReportsTo'),
      field('DoNotCall', 'boolean'),
      field('HasOptedOutOfEmail', 'boolean', { label: 'Email Opt Out' }),
      field('Description', 'textarea', { length: 32000 }),
      readOnly('LastActivityDate', 'date'),
    ],
  });
}

function opportunity(): SObjectDef {
  return sobject({
    name: 'Opportunity',
    keyPrefix: '006',
    owner: true,
    fields: [
      text('Name', 120, { nillable: false }),
      lookup('AccountId', ['Account'], 'Account', { cascadeDelete: true }),
      lookup('ContactId', ['Contact'], 'Contact'),
      lookup('CampaignId', ['Campaign'], 'Campaign'),
      picklist('StageName', DEFAULT_OPPORTUNITY_STAGES, { label: 'Stage', nillable: false, restrictedPicklist: true }),
      number('Amount', 'currency', 18, 2),
      field('CloseDate', 'date', { nillable: false }),
      number('Probability', 'percent', 3, 0, { label: 'Probability (%)', defaultedOnCreate: true }),
      readOnly('ExpectedRevenue', 'currency', { precision: 18, scale: 2, calculated: true }),
      readOnly('IsClosed', 'boolean', { label: 'Closed' }),
      readOnly('IsWon', 'boolean', { label: 'Won' }),
      readOnly('ForecastCategory', 'picklist', {
        picklistValues: Object.values(FORECAST_CATEGORY_API).map((value) => pick(value)),
      }),
      picklist('ForecastCategoryName', FORECAST_CATEGORY_NAMES, { label: 'Forecast Category', defaultedOnCreate: true }),
      picklist('LeadSource', LEAD_SOURCE),
      picklist('Type', ['New Customer', 'Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade'], {
        label: 'Opportunity Type',
      }),
      text('NextStep', 255),
      field('Description', 'textarea', { length: 32000 }),
      readOnly('HasOpportunityLineItem', 'boolean'),
      readOnly('FiscalYear', 'int'),
      readOnly('FiscalQuarter', 'int'),
      readOnly('Fiscal', 'string', { length: 6, label: 'Fiscal Period' }),
      readOnly('LastStageChangeDate', 'datetime'),
      readOnly('LastActivityDate', 'date'),
    ],
  });
}

function opportunityHistory(): SObjectDef {
  return sobject({
    name: 'OpportunityHistory',
    label: 'Opportunity History',
    labelPlural: 'Opportunity History',
    keyPrefix: '008',
    owner: false,
    lastModified: false,
    createable: false,
    updateable: false,
    deletable: false,
    nameField: null,
    fields: [
      readOnly('OpportunityId', 'reference', { nillable: false, referenceTo: ['Opportunity'], relationshipName: 'Opportunity', cascadeDelete: true }),
      readOnly('StageName', 'picklist', { picklistValues: DEFAULT_OPPORTUNITY_STAGES }),
      readOnly('Amount', 'currency', { precision: 18, scale: 2 }),
      readOnly('ExpectedRevenue', 'currency', { precision: 18, scale: 2 }),
      readOnly('CloseDate', 'date'),
      readOnly('Probability', 'percent', { precision: 3 }),
      readOnly('ForecastCategory', 'picklist', {
        picklistValues: Object.values(FORECAST_CATEGORY_API).map((value) => pick(value)),
      }),
      readOnly('PrevAmount', 'currency', { precision: 18, scale: 2 }),
      readOnly('PrevCloseDate', 'date'),
    ],
  });
}

function campaign(): SObjectDef {
  return sobject({
    name: 'Campaign',
    keyPrefix: '701',
    owner: true,
    fields: [
      text('Name', 80, { nillable: false }),
      picklist('Type', ['Conference', 'Webinar', 'Trade Show', 'Public Relations', 'Partners', 'Referral Program', 'Advertisement', 'Banner Ads', 'Direct Mail', 'Email', 'Telemarketing', 'Other']),
      picklist('Status', [pick('Planned', { defaultValue: true }), pick('In Progress'), pick('Completed'), pick('Aborted')]),
      field('StartDate', 'date'),
      field('EndDate', 'date'),
      field('IsActive', 'boolean', { label: 'Active' }),
      number('BudgetedCost', 'currency', 18, 0),
      number('ActualCost', 'currency', 18, 0),
      number('ExpectedRevenue', 'currency', 18, 0),
      number('ExpectedResponse', 'percent', 10, 2),
      number('NumberSent', 'double', 18, 0),
      lookup('ParentId', ['Campaign'], 'Parent'),
      field('Description', 'textarea', { length: 32000 }),
    ],
  });
}

function campaignMember(): SObjectDef {
  return sobject({
    name: 'CampaignMember',
    keyPrefix: '00v',
    owner: false,
    nameField: null,
    fields: [
      lookup('CampaignId', ['Campaign'], 'Campaign', { nillable: false, updateable: false, cascadeDelete: true }),
      lookup('LeadId', ['Lead'], 'Lead', { updateable: false, cascadeDelete: true }),
      lookup('ContactId', ['Contact'], 'Contact', { updateable: false, cascadeDelete: true }),
      readOnly('LeadOrContactId', 'reference', { referenceTo: ['Contact', 'Lead'] }),
      readOnly('Type', 'string', { length: 40 }),
      picklist('Status', [pick('Sent', { defaultValue: true }), pick('Responded')]),
      readOnly('HasResponded', 'boolean', { label: 'Responded' }),
      readOnly('FirstRespondedDate', 'date'),
    ],
  });
}

function activityRefs(): FieldDef[] {
  return [
    lookup('WhoId', ['Contact', 'Lead'], 'Who', { label: 'Name ID' }),
    lookup('WhatId', ['Account', 'Opportunity', 'Campaign', 'Case'], 'What', { label: 'Related To ID' }),
  ];
}

function event(): SObjectDef {
  return sobject({
    name: 'Event',
    keyPrefix: '00U',
    owner: true,
    nameField: 'Subject',
    fields: [
      field('Subject', 'string', { length: 255, picklistValues: ['Call', 'Email', 'Meeting', 'Send Letter/Quote', 'Other'].map((v) => pick(v)) }),
      field('StartDateTime', 'datetime', { label: 'Start' }),
      field('EndDateTime', 'datetime', { label: 'End' }),
      field('ActivityDateTime', 'datetime', { label: 'Due Date Time' }),
      field('ActivityDate', 'date', { label: 'Due Date Only' }),
      number('DurationInMinutes', 'int', 8, 0, { label: 'Duration' }),
      field('IsAllDayEvent', 'boolean', { label: 'All-Day Event' }),
      ...activityRefs(),
      text('Location', 255),
      field('Description', 'textarea', { length: 32000 }),
      picklist('ShowAs', [pick('Busy', { defaultValue: true }), pick('OutOfOffice'), pick('Free')], { label: 'Show Time As' }),
      picklist('Type', ['Call', 'Email', 'Meeting', 'Other']),
      field('IsPrivate', 'boolean', { label: 'Private' }),
    ],
  });
}

function task(): SObjectDef {
  return sobject({
    name: 'Task',
    keyPrefix: '00T',
    owner: true,
    nameField: 'Subject',
    fields: [
      field('Subject', 'string', { length: 255, picklistValues: ['Call', 'Send Letter', 'Send Quote', 'Other'].map((v) => pick(v)) }),
      picklist(
        'Status',
        [pick('Not Started', { defaultValue: true }), pick('In Progress'), pick('Completed', { closed: true }), pick('Waiting on someone else'), pick('Deferred')],
        { nillable: false },
      ),
      picklist('Priority', [pick('High'), pick('Normal', { defaultValue: true }), pick('Low')], { nillable: false }),
      field('ActivityDate', 'date', { label: 'Due Date Only' }),
      ...activityRefs(),
      field('Description', 'textarea', { length: 32000 }),
      readOnly('IsClosed', 'boolean', { label: 'Closed' }),
      picklist('Type', ['Call', 'Email', 'Meeting', 'Other']),
      picklist('TaskSubtype', ['Task', 'Email', 'Call'], { updateable: false }),
      picklist('CallType', ['Internal', 'Inbound', 'Outbound']),
      number('CallDurationInSeconds', 'int', 8, 0, { label: 'Call Duration' }),
      text('CallDisposition', 255, { label: 'Call Result' }),
      readOnly('CompletedDateTime', 'datetime'),
    ],
  });
}

function caseObject(): SObjectDef {
  return sobject({
    name: 'Case',
    keyPrefix: '500',
    owner: true,
    nameField: 'CaseNumber',
    fields: [
      readOnly('CaseNumber', 'string', { length: 30, autoNumber: true, idLookup: true }),
      text('Subject', 255),
      field('Description', 'textarea', { length: 32000 }),
      picklist('Status', [pick('New', { defaultValue: true }), pick('Working'), pick('Escalated'), pick('Closed', { closed: true })]),
      picklist('Priority', [pick('High'), pick('Medium', { defaultValue: true }), pick('Low')]),
      picklist('Origin', ['Phone', 'Email', 'Web'], { label: 'Case Origin' }),
      picklist('Type', ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other']),
      picklist('Reason', ['Installation', 'Equipment Complexity', 'Performance', 'Breakdown', 'Equipment Design', 'Feedback', 'Other'], { label: 'Case Reason' }),
      readOnly('IsClosed', 'boolean', { label: 'Closed' }),
      readOnly('ClosedDate', 'datetime'),
      field('IsEscalated', 'boolean', { label: 'Escalated' }),
      lookup('AccountId', ['Account'], 'Account'),
      lookup('ContactId', ['Contact'], 'Contact'),
      lookup('ParentId', ['Case'], 'Parent'),
      text('SuppliedName', 80, { label: 'Web Name' }),
      field('SuppliedEmail', 'email', { length: 80, label: 'Web Email' }),
      field('SuppliedPhone', 'phone', { length: 40, label: 'Web Phone' }),
      text('SuppliedCompany', 80, { label: 'Web Company' }),
    ],
  });
}

/**
 * PermissionSet as an identity only (Object Reference: PermissionSet, "Name", "Label",
 * "IsOwnedByProfile"). The permissions it grants are not modelled in the local org.
 */
function permissionSet(): SObjectDef {
  return sobject({
    name: 'PermissionSet',
    keyPrefix: '0PS',
    owner: false,
    fields: [
      text('Name', 80, { nillable: false, unique: true, idLookup: true }),
      text('Label', 80, { nillable: false }),
      field('IsOwnedByProfile', 'boolean', { defaultValue: false }),
      field('Description', 'textarea', { length: 255 }),
    ],
  });
}

/** Object Reference: PermissionSetAssignment (AssigneeId, PermissionSetId). */
function permissionSetAssignment(): SObjectDef {
  return sobject({
    name: 'PermissionSetAssignment',
    keyPrefix: '0Pa',
    owner: false,
    fields: [lookup('AssigneeId', ['User'], 'Assignee', { nillable: false }), lookup('PermissionSetId', ['PermissionSet'], 'PermissionSet', { nillable: false })],
  });
}

/** Fresh definitions (callers mutate them when merging force-app). */
export function standardObjects(): SObjectDef[] {
  return [
    organization(),
    user(),
    lead(),
    account(),
    contact(),
    opportunity(),
    opportunityHistory(),
    campaign(),
    campaignMember(),
    event(),
    task(),
    caseObject(),
    permissionSet(),
    permissionSetAssignment(),
  ];
}
