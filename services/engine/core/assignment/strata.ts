import { seedFrom } from '../random';
import { DEFAULT_TIME_ZONE_BANDS, type AssignmentPolicy, type TimeZoneBand } from './model';
import { isValidTimeZone, standardOffsetHours } from './shift';

/**
 * The stratum of an asset: the configured fields (a time-zone field becomes a band), plus the
 * skills the asset needs. Skills are part of the stratum on purpose: reps with different
 * skills are not interchangeable for that asset, so balance is kept among those who can
 * take it, and a block never waits on a rep who could not take its assets.
 */
export interface StratumOf {
  key: string;
  /** Lower-cased, sorted skills the asset needs. */
  skills: string[];
}

const MAX_STRATUM = 255;
const NONE = '(none)';

function clean(value: string | null | undefined): string {
  const v = (value ?? '').trim();
  return v === '' ? NONE : v.replace(/[|=]/g, '/');
}

function bandOf(bands: readonly TimeZoneBand[], offsetHours: number): string {
  for (const band of bands) if (offsetHours <= band.maxOffsetHours) return band.name;
  return bands[bands.length - 1]?.name ?? NONE;
}

export type FieldBag = Record<string, string | null | undefined>;

/**
 * A resolver bound to one run. Bands use each zone's standard offset for the year of `now`,
 * so an asset does not change stratum when its zone enters or leaves DST.
 */
export function stratumResolver(policy: Pick<AssignmentPolicy, 'strata' | 'skillFields'>, now: Date): (fields: FieldBag) => StratumOf {
  const bandCache = new Map<string, string>();
  const band = (zone: string | null | undefined, bands: readonly TimeZoneBand[]): string => {
    const z = (zone ?? '').trim();
    if (z === '') return NONE;
    const cacheKey = `${z}|${bands.map((b) => `${b.name}<=${b.maxOffsetHours}`).join(',')}`;
    let found = bandCache.get(cacheKey);
    if (found === undefined) {
      found = isValidTimeZone(z) ? bandOf(bands, standardOffsetHours(now, z)) : 'Unknown zone';
      bandCache.set(cacheKey, found);
    }
    return found;
  };
  // A trie over the raw field values: an asset costs one Map lookup per field and no string
  // building, which matters at a million assets per run.
  type Node = Map<string | null | undefined, Node | StratumOf>;
  const root: Node = new Map();
  const fieldNames = [
    ...policy.strata.map((entry) => (typeof entry === 'string' ? entry : entry.field)),
    ...policy.skillFields
  ];
  const build = (fields: FieldBag): StratumOf => {
    let key = '';
    for (const entry of policy.strata) {
      if (typeof entry === 'string') {
        key += `${key === '' ? '' : '|'}${entry}=${clean(fields[entry])}`;
      } else {
        key += `${key === '' ? '' : '|'}${entry.field}=${band(fields[entry.field], entry.timeZoneBands ?? DEFAULT_TIME_ZONE_BANDS)}`;
      }
    }
    const skills: string[] = [];
    for (const field of policy.skillFields) {
      const v = (fields[field] ?? '').trim().toLowerCase();
      if (v !== '') skills.push(v.replace(/[|=+]/g, '/'));
    }
    if (skills.length > 0) key += `${key === '' ? '' : '|'}skills=${skills.join('+')}`;
    if (key === '') key = 'all';
    if (key.length > MAX_STRATUM) key = `${key.slice(0, MAX_STRATUM - 9)}#${(seedFrom(key) >>> 0).toString(16).padStart(8, '0')}`;
    return { key, skills: [...new Set(skills)].sort() };
  };
  return (fields) => {
    let node = root;
    for (let i = 0; i < fieldNames.length - 1; i += 1) {
      const value = fields[fieldNames[i] as string];
      let next = node.get(value) as Node | undefined;
      if (!next) {
        next = new Map();
        node.set(value, next);
      }
      node = next;
    }
    const last = fieldNames.length === 0 ? undefined : fields[fieldNames[fieldNames.length - 1] as string];
    let leaf = node.get(last) as StratumOf | undefined;
    if (!leaf) {
      leaf = build(fields);
      node.set(last, leaf);
    }
    return leaf;
  };
}
