import type { Metrics } from '../observability/metrics';
import type { EngineFeature } from '../service';
import { assignmentFeature } from './assignment';
import { calendarFeature } from './calendar';
import { campaignsFeature } from './campaigns';
import { reportsFeature } from './reports';
import { forecastFeature } from './forecast';
import { queueFeature } from './queue';
import { planningFeature } from './planning';

/**
 * The features the engine runs, each a folder beside this file exporting an EngineFeature:
 * its job handlers, its streaming listeners and its start-up work. Add one line per feature.
 */
export function engineFeatures(options: { metrics?: Metrics } = {}): EngineFeature[] {
  const { metrics } = options;
  const assignment = assignmentFeature({
    onAssigned: (result) => {
      for (const row of result.rows) metrics?.assignments.inc({ station: result.station, method: row.method });
      metrics?.waiting.set({ station: result.station }, result.waiting.length);
      metrics?.heldBack.set({ station: result.station }, result.held);
      metrics?.releaseLimit.set({ station: result.station }, result.gate.limitedBy === null ? -1 : result.gate.mayRelease);
      for (const s of result.gate.stations) {
        metrics?.stationWip.set({ station: s.station, measure: 'wip' }, s.wip);
        metrics?.stationWip.set({ station: s.station, measure: 'target' }, s.wipTarget);
      }
    },
    onEventAssigned: (station, seconds) => metrics?.assignmentLatency.observe({ station }, seconds)
  });
  return [assignment, calendarFeature(), campaignsFeature(), reportsFeature(), forecastFeature(), queueFeature(), planningFeature()];
}
