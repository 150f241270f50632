import { z } from 'zod';

/**
 * Field values as the org sends them: REST JSON is typed (numbers, booleans, null), Bulk API
 * 2.0 CSV is all strings with empty for null. Every core module's record schemas use these so
 * a record reads the same whichever API delivered it.
 */
export const orgNumber = z.preprocess((v) => {
  if (v === '' || v === undefined) return null;
  if (typeof v === 'string') return Number(v);
  return v;
}, z.number().nullable());

export const orgBoolean = z.preprocess((v) => {
  if (v === 'true') return true;
  if (v === 'false' || v === '' || v === null || v === undefined) return false;
  return v;
}, z.boolean());

export const orgText = z.preprocess((v) => (v === '' || v === undefined ? null : v), z.string().nullable());
