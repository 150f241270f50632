import type { Command } from 'commander';
import { z } from 'zod';
import { AssignmentEngine } from '../../features/assignment';
import { orgNames } from '../../org/names';
import { queryMany } from '../../features/assignment/orgReads';
import { JobScheduler } from '../../jobs/scheduler';
import type { EngineJob } from '../../jobs/types';
import type { OrgClient } from '../../org/connection';
import { orgJobStore } from '../../org/jobStore';
import { soql } from '../../org/soql';
import { writeRecords } from '../../org/writes';
import { connect, FlagError, ORG_OPTION_HELP, parseFlags, print } from './orgFlags';

/**
 * `asl jobs`: the Engine_Job__c records RevOps schedules.
 *   asl jobs list                 jobs with status, schedule and last run
 *   asl jobs run <name-or-id>     run one now, in this process (or --signal: set Run_Now__c
 *                                 so the running engine starts it)
 *   asl jobs sync                 validate every schedule; bad ones get Status Invalid Schedule
 */
const Common = z.object({ org: z.string().optional(), json: z.boolean().default(false) });
const RunFlags = Common.extend({ signal: z.boolean().default(false) });

const JOB_FIELDS = ['Id', 'Name', 'Type__c', 'Cron__c', 'Enabled__c', 'Status__c', 'Status_Message__c', 'Last_Run_At__c', 'Next_Run_At__c'];

async function listJobs(client: OrgClient): Promise<Array<Record<string, unknown>>> {
  const { n, list } = orgNames(client);
  const [rows = []] = await queryMany(client, [soql`SELECT ${list(JOB_FIELDS)} FROM ${n('Engine_Job__c')} ORDER BY Name`]);
  return rows;
}

function schedulerFor(client: OrgClient): JobScheduler {
  // The handlers this command can run in-process: the assignment feature's jobs.
  return new JobScheduler({ store: orgJobStore(client), handlers: new AssignmentEngine(client).jobs() });
}

function findJob(jobs: EngineJob[], nameOrId: string): EngineJob {
  const found = jobs.filter((job) => job.id === nameOrId || job.id.slice(0, 15) === nameOrId || job.name.toLowerCase() === nameOrId.toLowerCase());
  if (found.length === 1) return found[0] as EngineJob;
  if (found.length > 1) throw new FlagError(`<name-or-id> "${nameOrId}" matches ${found.length} jobs; pass the record id (see \`asl jobs list\`)`);
  throw new FlagError(`<name-or-id> "${nameOrId}" matches no Engine_Job__c; \`asl jobs list\` shows the names and ids`);
}

export function register(program: Command): void {
  const jobs = program.command('jobs').description('Engine jobs scheduled as Engine_Job__c records: list, run, sync');
  jobs
    .command('list')
    .description('List the jobs with their status and schedule')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(Common, raw);
      const rows = await listJobs(await connect(flags.org));
      print(flags.json, rows, () =>
        rows
          .map((row) => `${String(row.Id)}  ${String(row.Name).padEnd(32)} ${String(row.Type__c).padEnd(16)} ${String(row.Cron__c ?? '').padEnd(18)} ${row.Enabled__c ? 'enabled ' : 'disabled'} ${String(row.Status__c ?? '')}${row.Status_Message__c ? ` - ${String(row.Status_Message__c)}` : ''}`)
          .join('\n') || 'no Engine_Job__c records'
      );
    });
  jobs
    .command('run <name-or-id>')
    .description('Run a job now in this process and log the run (Job_Run__c); --signal asks the running engine instead')
    .option('--signal', 'set Run_Now__c so the running engine starts it', false)
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (nameOrId: string, raw: Record<string, unknown>) => {
      const flags = parseFlags(RunFlags, raw);
      const client = await connect(flags.org);
      const store = orgJobStore(client);
      const job = findJob(await store.loadJobs(), nameOrId);
      if (flags.signal) {
        const names = orgNames(client);
        await writeRecords(client, [{ kind: 'update', sobject: names.api('Engine_Job__c'), records: [names.record({ Id: job.id, Run_Now__c: true })] }]);
        print(flags.json, { job: job.name, signalled: true }, () => `${job.name}: Run_Now__c set; the running engine starts it at its next job sync`);
        return;
      }
      const scheduler = schedulerFor(client);
      const start = scheduler.runNow(job, 'asl jobs run');
      if (!start.started) throw new FlagError(`${job.name} (${job.type}): ${start.reason}; use --signal to have the running engine run it`);
      await start.done;
      const [status] = (await listJobs(client)).filter((row) => row.Id === job.id);
      print(flags.json, status, () => `${job.name}: ${String(status?.Status__c)} - ${String(status?.Status_Message__c ?? '')}`);
      if (status?.Status__c === 'Error') process.exitCode = 1;
    });
  jobs
    .command('sync')
    .description('Validate every job schedule (bad cron: Status Invalid Schedule on the record)')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(Common, raw);
      const client = await connect(flags.org);
      const store = orgJobStore(client);
      // Validation only: "run now" flags are left for the running engine.
      const loaded = (await store.loadJobs()).map((job) => ({ ...job, runNow: false }));
      const scheduler = new JobScheduler({ store: { ...store, loadJobs: async () => loaded }, handlers: {} });
      await scheduler.sync();
      await scheduler.stop();
      const rows = await listJobs(client);
      print(flags.json, rows, () => rows.map((row) => `${String(row.Name).padEnd(32)} ${String(row.Status__c ?? '')}${row.Status_Message__c ? ` - ${String(row.Status_Message__c)}` : ''}`).join('\n'));
    });
}
