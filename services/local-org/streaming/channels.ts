/**
 * Streaming channel names, as Salesforce names them.
 *
 * - Change Data Capture (Change Data Capture Developer Guide: "Subscription Channels"):
 *   `/data/ChangeEvents` carries the change events of every selected entity;
 *   `/data/<Standard>ChangeEvent` (`/data/LeadChangeEvent`) one standard object;
 *   `/data/<Custom>__ChangeEvent` (`/data/Disposition__ChangeEvent`) one custom object: the
 *   `__c` suffix is replaced by `__ChangeEvent`.
 * - Platform events (Platform Events Developer Guide: "Subscribe to Platform Event
 *   Notifications with CometD"): `/event/<Event__e>`.
 */
import type { OrgSchema, SObjectDef } from '../schema/types';

export const ALL_CHANGE_EVENTS = '/data/ChangeEvents';

export type ChannelTarget =
  | { kind: 'allChanges'; channel: string }
  | { kind: 'change'; channel: string; entityName: string }
  | { kind: 'platformEvent'; channel: string; eventName: string };

/** The change event name of an object: `LeadChangeEvent`, `Disposition__ChangeEvent`. */
export function changeEventName(entityName: string): string {
  return entityName.endsWith('__c') ? `${entityName.slice(0, -3)}__ChangeEvent` : `${entityName}ChangeEvent`;
}

export function changeEventChannel(entityName: string): string {
  return `/data/${changeEventName(entityName)}`;
}

export function platformEventChannel(eventName: string): string {
  return `/event/${eventName}`;
}

/**
 * What a subscription channel refers to, or undefined when the org has no such channel
 * (the caller answers "The channel you requested to subscribe to does not exist").
 * `isChangeEnabled` says whether an entity is selected for Change Data Capture.
 */
export function resolveChannel(
  channel: string,
  schema: OrgSchema,
  isChangeEnabled: (object: SObjectDef) => boolean,
): ChannelTarget | undefined {
  if (channel === ALL_CHANGE_EVENTS) return { kind: 'allChanges', channel };
  const change = /^\/data\/([A-Za-z][A-Za-z0-9_]*?)(__)?ChangeEvent$/.exec(channel);
  if (change !== null) {
    const base = change[1] ?? '';
    const object = schema.find(change[2] === '__' ? `${base}__c` : base);
    if (object === undefined || object.isPlatformEvent || !isChangeEnabled(object)) return undefined;
    // Channel names are case-sensitive in CometD: only the exact name is a channel.
    if (changeEventChannel(object.name) !== channel) return undefined;
    return { kind: 'change', channel, entityName: object.name };
  }
  const event = /^\/event\/([A-Za-z][A-Za-z0-9_]*__e)$/.exec(channel);
  if (event !== null) {
    const object = schema.find(event[1] ?? '');
    if (object === undefined || !object.isPlatformEvent || object.name !== event[1]) return undefined;
    return { kind: 'platformEvent', channel, eventName: object.name };
  }
  return undefined;
}
