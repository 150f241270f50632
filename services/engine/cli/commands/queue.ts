import type { Command } from 'commander';
import { z } from 'zod';
import { guidanceFor, PURPOSES, type Purpose } from '../../core/queue';
import { LiveQueue, type RankReport } from '../../features/queue/live';
import { orgNames } from '../../org/names';
import type { OrgClient } from '../../org/connection';
import { queryAll } from '../../org/reads';
import { soql } from '../../org/soql';
import { connectFromOption, ORG_OPTION_HELP } from '../orgOption';

/**
 * `asl queue`: the SDR call queue in the org (docs/call-queue.md, "The queue in the org").
 *   asl queue rank [--sdr <username|id>] [--dry-run] [--top N]   full ranking, writes Queue_Entry__c
 *   asl queue show --sdr <username|id> [--limit N]               the SDR's next entries, as the console shows them
 */
const RECORD_ID = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

const rankFlags = z.object({
  sdr: z.string().min(1).optional(),
  dryRun: z.boolean().default(false),
  top: z.coerce.number().int().positive().max(1000).default(50),
  org: z.string().optional(),
  json: z.boolean().default(false)
});
const showFlags = z.object({
  sdr: z.string().min(1, '--sdr is required: the SDR username or user id'),
  limit: z.coerce.number().int().positive().max(2000).default(10),
  org: z.string().optional(),
  json: z.boolean().default(false)
});

export class QueueCommandError extends Error {
  constructor(flag: string, value: string, fix: string) {
    super(`${flag} ${JSON.stringify(value)}: ${fix}`);
    this.name = 'QueueCommandError';
  }
}

function parseFlags<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new QueueCommandError(`--${String(issue?.path[0] ?? '')}`, String((raw as Record<string, unknown>)[String(issue?.path[0])] ?? ''), issue?.message ?? 'invalid value');
  }
  return parsed.data;
}

export async function resolveUser(client: OrgClient, value: string): Promise<string> {
  if (RECORD_ID.test(value)) return value;
  const rows = await queryAll(client, soql`SELECT Id FROM User WHERE Username = ${value}`);
  const id = rows[0]?.Id;
  if (typeof id !== 'string') throw new QueueCommandError('--sdr', value, 'no user with this username; pass the username or the 15/18-character user id');
  return id;
}

export interface ShownEntry {
  rank: number;
  entryKey: string;
  name: string | null;
  purpose: string;
  attempt: number | null;
  dueAt: string | null;
  guidanceKey: string | null;
  guidance: string | null;
  allowedOutcomes: string[];
}

export async function showQueue(client: OrgClient, sdrId: string, limit: number): Promise<ShownEntry[]> {
  const { n, list, strip } = orgNames(client);
  const fieldsList = list(['Entry_Key__c', 'Rank__c', 'Purpose__c', 'Attempt_Number__c', 'Due_At__c', 'Guidance_Key__c', 'Allowed_Outcomes__c', 'Lead__r.Name', 'Lead__r.Inbound__c', 'Account__r.Name']);
  const rows = await queryAll(
    client,
    soql`SELECT ${fieldsList} FROM ${n('Queue_Entry__c')} WHERE ${n('SDR__c')} = ${sdrId} AND ${n('Status__c')} = 'Open' ORDER BY ${n('Rank__c')} LIMIT ${limit}`
  );
  return rows.map((raw) => {
    const row = strip(raw);
    const lead = row.Lead__r as { Name?: string; Inbound__c?: boolean } | null | undefined;
    const account = row.Account__r as { Name?: string } | null | undefined;
    const purpose = String(row.Purpose__c ?? '');
    const known = (PURPOSES as readonly string[]).includes(purpose) ? guidanceFor(purpose as Purpose, lead?.Inbound__c === true) : null;
    return {
      rank: Number(row.Rank__c),
      entryKey: String(row.Entry_Key__c),
      name: lead?.Name ?? account?.Name ?? null,
      purpose,
      attempt: typeof row.Attempt_Number__c === 'number' ? row.Attempt_Number__c : null,
      dueAt: typeof row.Due_At__c === 'string' ? row.Due_At__c : null,
      guidanceKey: typeof row.Guidance_Key__c === 'string' ? row.Guidance_Key__c : null,
      guidance: known?.title ?? null,
      allowedOutcomes: typeof row.Allowed_Outcomes__c === 'string' ? row.Allowed_Outcomes__c.split(';') : []
    };
  });
}

function formatRank(report: RankReport): string {
  const lines = [
    `${report.dryRun ? 'Dry run (nothing written): ' : ''}ranked ${report.sdrs} SDRs at ${report.rankedAt}: ${report.queued} open tasks, ${report.moved} moved, ${report.closed} closed, ${report.unassigned} unassigned`,
    ...report.queues.map((queue) => `  ${queue.sdrId}  open tasks ${queue.openTasks}  planned ${queue.entries.length}  cap ${queue.hourlyCap}/h${queue.unplannable.length ? `  unplannable ${queue.unplannable.length}` : ''}`)
  ];
  if (!report.dryRun) lines.push(`wrote ${report.entriesWritten} queue entries and ${report.leadUpdates} lead updates in ${report.apiCalls} API calls`);
  for (const failure of report.failed.slice(0, 20)) lines.push(`  failed ${failure.key}: ${failure.errorCode ?? ''} ${failure.message ?? ''}`);
  return lines.join('\n');
}

function formatShow(sdr: string, entries: readonly ShownEntry[]): string {
  if (entries.length === 0) return `No open queue entries for ${sdr}.`;
  return [
    `Next calls for ${sdr}:`,
    ...entries.map((e) => `${String(e.rank).padStart(3)}. ${e.dueAt ?? '-'}  ${e.purpose}${e.attempt ? ` #${e.attempt}` : ''}  ${e.name ?? e.entryKey}  [${e.guidanceKey ?? '-'}] ${e.guidance ?? ''}`)
  ].join('\n');
}

export function register(program: Command): void {
  const queue = program.command('queue').description('The SDR call queue in the org: rank it, show it');
  queue
    .command('rank')
    .description('Full ranking: read the floor, refit the odds, write every SDR\'s top entries (Queue_Entry__c)')
    .option('--sdr <username|id>', 'write only this SDR\'s queue')
    .option('--dry-run', 'rank and report, write nothing', false)
    .option('--top <n>', 'entries written per SDR', '50')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(rankFlags, raw);
      const client = await connectFromOption(flags.org);
      const sdrId = flags.sdr ? await resolveUser(client, flags.sdr) : undefined;
      const report = await new LiveQueue(client, { topN: flags.top }).rankAll({ ...(sdrId ? { sdrId } : {}), dryRun: flags.dryRun });
      const out = { ...report, queues: report.queues.map((q) => ({ sdrId: q.sdrId, openTasks: q.openTasks, planned: q.entries.length, hourlyCap: q.hourlyCap, unplannable: q.unplannable.length })) };
      process.stdout.write(flags.json ? `${JSON.stringify(out, null, 2)}\n` : `${formatRank(report)}\n`);
      if (report.failed.length > 0) process.exitCode = 1;
    });
  queue
    .command('show')
    .description('The SDR\'s next entries as the Work Queue console shows them (purpose, due time, guidance)')
    .requiredOption('--sdr <username|id>', 'the SDR')
    .option('--limit <n>', 'entries to show', '10')
    .option('--org <target>', ORG_OPTION_HELP)
    .option('--json', 'print JSON', false)
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(showFlags, raw);
      const client = await connectFromOption(flags.org);
      const sdrId = await resolveUser(client, flags.sdr);
      const entries = await showQueue(client, sdrId, flags.limit);
      process.stdout.write(flags.json ? `${JSON.stringify({ sdrId, entries }, null, 2)}\n` : `${formatShow(flags.sdr, entries)}\n`);
    });
}
