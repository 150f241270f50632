/**
 * Sample Demo_Type__c records: the kinds of demo a coordinator books from the Demo Calendar.
 * One needs only an AE, one an AE and a sales engineer, one is a field meeting (batched by city).
 */
import type { FloorRow } from './sink';

export function demoTypeRows(): FloorRow[] {
  const type = (
    key: string,
    name: string,
    minutes: number,
    needs: { engineer: boolean; field: boolean }
  ): FloorRow => ({
    Name: name,
    Key__c: key,
    Duration_Minutes__c: minutes,
    Needs_AE__c: true,
    Needs_Engineer__c: needs.engineer,
    Field_Meeting__c: needs.field,
    Active__c: true
  });
  return [
    type('DISCOVERY_DEMO', 'Discovery demo (30 min)', 30, { engineer: false, field: false }),
    type('TECHNICAL_DEMO', 'Technical demo with engineer (60 min)', 60, {
      engineer: true,
      field: false
    }),
    type('ONSITE_VISIT', 'On-site visit (90 min)', 90, { engineer: false, field: true })
  ];
}
