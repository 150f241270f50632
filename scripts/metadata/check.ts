import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { runChecks, type CheckReport, type Finding } from './checks';
import { writeIntegrationPermissionSet } from './integrationPermissionSet';

/**
 * `npm run check:metadata`: the offline metadata checks with readable output.
 *   --dir <path>                    package directory (default force-app)
 *   --json                          machine-readable report
 *   --no-convert                    skip the source-deploy-retrieve conversion (faster)
 *   --write-integration-permset     rewrite ASL_Engine_Integration from the engine access list first
 * Exit code 0 when clean, 1 when there are findings, 2 on bad usage.
 */
const optionsSchema = z.object({
  dir: z.string().min(1),
  json: z.boolean(),
  convert: z.boolean(),
  writeIntegrationPermset: z.boolean()
});

export function formatReport(report: CheckReport): string {
  if (report.findings.length === 0) {
    return `Metadata checks passed: ${report.filesChecked} XML files, API version ${report.apiVersion}.\n`;
  }
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  let out = '';
  for (const [file, findings] of byFile) {
    out += `${file}\n`;
    for (const f of findings) out += `  ${f.line === undefined ? '-' : `line ${f.line}`}  [${f.rule}] ${f.message}\n`;
  }
  const n = report.findings.length;
  out += `\n${n} finding${n === 1 ? '' : 's'} in ${byFile.size} file${byFile.size === 1 ? '' : 's'} (${report.filesChecked} XML files checked).\n`;
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command('check:metadata')
    .description('Offline checks of the Salesforce metadata in force-app')
    .option('--dir <path>', 'package directory', 'force-app')
    .option('--json', 'print the report as JSON', false)
    .option('--no-convert', 'skip the conversion to Metadata API format')
    .option('--write-integration-permset', 'rewrite ASL_Engine_Integration from services/engine/schema/access.ts first', false)
    .exitOverride();
  try {
    program.parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
  const parsed = optionsSchema.safeParse(program.opts());
  if (!parsed.success) {
    process.stderr.write(`check:metadata: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`);
    return 2;
  }
  const options = parsed.data;
  const packageDir = resolve(options.dir);
  if (!existsSync(packageDir) || !statSync(packageDir).isDirectory()) {
    process.stderr.write(`check:metadata: --dir ${options.dir} is not a directory. Fix: pass the package directory, for example --dir force-app.\n`);
    return 2;
  }
  if (options.writeIntegrationPermset) {
    const file = writeIntegrationPermissionSet(packageDir);
    process.stderr.write(`wrote ${relative(process.cwd(), file)}\n`);
  }
  const report = await runChecks({ packageDir, convert: options.convert });
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.findings.length === 0 ? 0 : 1;
}

if (require.main === module) {
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`check:metadata: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    }
  );
}
