import type { Command } from 'commander';

/**
 * Every `asl` subcommand, in the order `asl --help` lists them. A command module exports
 * `register(program)`; add one import and one line below per command.
 */
export function registerCommands(program: Command): void {
  void program;
}
