import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';

/**
 * `asl`: the engine's command line, for RevOps and for benchmarks. Each subcommand lives in
 * cli/commands/<name>.ts and registers itself in cli/commands/index.ts.
 */
export function buildProgram(): Command {
  const program = new Command('asl')
    .description('Sales Assembly Line engine: assignment, queue, forecasts, jobs and benchmarks')
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`asl: ${message}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) {
  void main(process.argv);
}
