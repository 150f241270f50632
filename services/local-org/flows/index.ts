/**
 * The package's record-triggered flows, read from force-app when the org starts (like its
 * schema) and run by the store on every save: REST, collections, composite and Bulk API 2.0
 * alike, and store writes unless they pass `runFlows: false`.
 *
 *   const { flows, warnings } = installFlows({ store, schema, forceAppDir });
 *
 * A flow the local org cannot run exactly (an unsupported element, formula function,
 * global, operator or trigger) does not run at all, and a warning names its file and the
 * element; the org still starts.
 */
import { relative } from 'node:path';
import type { OrgSchema } from '../schema/types';
import type { Store } from '../store/store';
import { compileFlow } from './compile';
import { findFlowFiles, FlowFileError, parseFlowFile } from './metadata';
import type { CompiledFlow } from './model';
import { RecordReader } from './records';
import { FlowTriggers } from './triggers';

export type { CompiledFlow } from './model';

export interface LoadedFlows {
  /** Flows that run, in trigger order per object. */
  flows: CompiledFlow[];
  /** One line per flow that would run on a real org but not here, naming file and element. */
  warnings: string[];
}

function displayPath(path: string): string {
  const shown = relative(process.cwd(), path);
  return shown.startsWith('..') ? path : shown;
}

/** Reads and compiles every active record-triggered flow under the package directory. */
export function loadFlows(forceAppDir: string, schema: OrgSchema): LoadedFlows {
  const flows: CompiledFlow[] = [];
  const warnings: string[] = [];
  for (const path of findFlowFiles(forceAppDir)) {
    const shown = displayPath(path);
    let result: ReturnType<typeof compileFlow>;
    try {
      const file = parseFlowFile(path);
      result = compileFlow(file, schema, shown);
    } catch (error) {
      if (!(error instanceof FlowFileError)) throw error;
      warnings.push(`${error.message}; this flow does not run in the local org`);
      continue;
    }
    if (result.kind === 'flow') flows.push(result.flow);
    if (result.kind === 'skipped') {
      const name = shown.replace(/^.*[\\/]/, '').replace(/\.flow-meta\.xml$/, '');
      for (const problem of result.problems) warnings.push(`${shown}: ${problem}; flow ${name} does not run in the local org`);
    }
  }
  return { flows, warnings };
}

/** Loads the flows and makes the store run them on every save. */
export function installFlows(options: { store: Store; schema: OrgSchema; forceAppDir: string }): LoadedFlows {
  const loaded = loadFlows(options.forceAppDir, options.schema);
  if (loaded.flows.length > 0) {
    const env = { store: options.store, schema: options.schema, reader: new RecordReader(options.store.db) };
    options.store.setRecordTriggers(new FlowTriggers(loaded.flows, env));
  }
  return loaded;
}
