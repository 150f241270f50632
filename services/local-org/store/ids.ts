/**
 * Salesforce record ids.
 *
 * A 15-character id is: 3-character key prefix of the object, 2-character instance (pod)
 * code, 1 reserved character, 9-character base-62 record number. The 18-character form
 * appends a 3-character suffix encoding the case of the 15 characters, five at a time, so
 * case-insensitive systems can tell ids apart (SOAP API Developer Guide: "ID Field Type";
 * the algorithm is the one behind the CASESAFEID() formula function).
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** Pod code of the local org: ids look like `00Q8d00000abcDE`. */
const INSTANCE = '8d';
const RECORD_DIGITS = 9;

export const ID_15 = /^[a-zA-Z0-9]{15}$/;
export const ID_18 = /^[a-zA-Z0-9]{18}$/;

/** The 3-character case checksum of a 15-character id. */
export function idSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX[bits];
  }
  return suffix;
}

/** The 18-character form of a 15- or 18-character id (18-character input is re-derived from its first 15). */
export function to18(id: string): string {
  const id15 = id.slice(0, 15);
  return id15 + idSuffix(id15);
}

/** True for a syntactically valid 15-character id or an 18-character id whose suffix matches. */
export function isValidId(value: string): boolean {
  if (ID_15.test(value)) return true;
  return ID_18.test(value) && idSuffix(value.slice(0, 15)) === value.slice(15);
}

/** The canonical 18-character id for a valid id, or undefined. */
export function normalizeId(value: string): string | undefined {
  return isValidId(value) ? to18(value) : undefined;
}

/** The 18-character id of record number `sequence` of the object with this key prefix. */
export function makeId(keyPrefix: string, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new Error(`record sequence ${sequence} is not a non-negative safe integer`);
  }
  let digits = '';
  let rest = sequence;
  for (let i = 0; i < RECORD_DIGITS; i += 1) {
    digits = BASE62[rest % 62] + digits;
    rest = Math.floor(rest / 62);
  }
  if (rest > 0) throw new Error(`record sequence ${sequence} does not fit in 9 base-62 digits`);
  return to18(`${keyPrefix}${INSTANCE}0${digits}`);
}

/** The record number encoded in an id made by makeId (used to resume sequences). */
export function sequenceOf(id: string): number {
  let value = 0;
  for (const c of id.slice(6, 15)) value = value * 62 + BASE62.indexOf(c);
  return value;
}

/** A key prefix for a custom object: `a` + two base-62 characters, stable for a name. */
export function customKeyPrefix(name: string, taken: ReadonlySet<string>, first: string = 'a'): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) {
    hash ^= name.toLowerCase().charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  const start = (hash >>> 0) % (62 * 62);
  for (let step = 0; step < 62 * 62; step += 1) {
    const n = (start + step) % (62 * 62);
    const prefix = `${first}${BASE62[Math.floor(n / 62)]}${BASE62[n % 62]}`;
    if (!taken.has(prefix)) return prefix;
  }
  throw new Error(`no free key prefix starting with "${first}" for ${name}`);
}
