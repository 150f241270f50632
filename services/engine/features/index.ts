import type { EngineFeature } from '../service';

/**
 * The features the engine runs, each a folder beside this file exporting an EngineFeature:
 * its job handlers, its streaming listeners and its start-up work. Add one line per feature.
 */
export function engineFeatures(): EngineFeature[] {
  return [];
}
