import { PerformanceObserver, constants } from 'node:perf_hooks';
import v8 from 'node:v8';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The heap's used size just after the last full (mark-compact) collection. The used size at any
 * other moment also counts garbage not yet collected (young objects, and old ones waiting for the
 * next full collection), which rises and falls with the load; after a full collection only what is
 * still reachable is left, so a leak shows as this climbing. One observer for the process, since
 * the heap is the process's: every registry reads the same figure.
 */
let liveHeapBytes: number | undefined;
let gcObserver: PerformanceObserver | undefined;
function observeFullCollections(): void {
  if (gcObserver) return;
  gcObserver = new PerformanceObserver((list) => {
    const full = list.getEntries().some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
    if (full) liveHeapBytes = v8.getHeapStatistics().used_heap_size;
  });
  gcObserver.observe({ entryTypes: ['gc'] });
}

/** Prometheus metrics of one engine instance (one registry, so tests can make their own). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'asl_' });
  observeFullCollections();
  return {
    registry,
    liveHeap: new Gauge({
      name: 'asl_nodejs_heap_live_bytes',
      help: 'Used heap just after the last full garbage collection (the live set; a leak makes it climb); 0 until the first one',
      registers: [registry],
      collect() {
        if (liveHeapBytes !== undefined) this.set(liveHeapBytes);
      }
    }),
    assignments: new Counter({ name: 'asl_assignments_total', help: 'Assets assigned to reps', labelNames: ['station', 'method'], registers: [registry] }),
    waiting: new Gauge({ name: 'asl_station_waiting', help: 'Assets waiting for capacity per station', labelNames: ['station'], registers: [registry] }),
    eventLatency: new Histogram({
      name: 'asl_event_to_action_seconds',
      help: 'Time from an org change (new lead, disposition) to the engine having acted on it',
      labelNames: ['kind'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry]
    }),
    assignmentLatency: new Histogram({
      name: 'asl_event_to_assignment_seconds',
      help: "Time from a new lead's commit in the org (change event commitTimestamp) to its owner assigned by the engine",
      labelNames: ['station'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
      registers: [registry]
    }),
    heldBack: new Gauge({ name: 'asl_station_held_back', help: 'Assets held back by flow control at the last run per station', labelNames: ['station'], registers: [registry] }),
    releaseLimit: new Gauge({ name: 'asl_station_release_limit', help: 'Assets the station may release now (flow control); -1 without a limit', labelNames: ['station'], registers: [registry] }),
    stationWip: new Gauge({ name: 'asl_station_wip', help: 'Assets at the station as the last assignment run saw them, and its WIP target', labelNames: ['station', 'measure'], registers: [registry] }),
    apiCalls: new Gauge({ name: 'asl_org_api_calls_used', help: "The org's daily API calls used (Sforce-Limit-Info)", registers: [registry] }),
    apiLimit: new Gauge({ name: 'asl_org_api_calls_limit', help: "The org's daily API call limit", registers: [registry] }),
    engineApiCalls: new Counter({ name: 'asl_engine_api_calls_total', help: 'API calls this engine sent', registers: [registry] }),
    eventsPending: new Gauge({
      name: 'asl_events_pending',
      help: 'Change events received and not yet handled, per channel and feature (a backlog that grows means the engine falls behind)',
      labelNames: ['channel', 'feature'],
      registers: [registry]
    }),
    jobRuns: new Counter({ name: 'asl_job_runs_total', help: 'Job runs by type and outcome', labelNames: ['type', 'outcome'], registers: [registry] })
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
