import type { Command } from 'commander';
import { register as registerSimulate } from './simulate';
import { register as registerPlan } from './plan';
import { register as registerCampaign } from './campaign';

/**
 * Every `asl` subcommand, in the order `asl --help` lists them. A command module exports
 * `register(program)`; add one import and one line below per command.
 */
export function registerCommands(program: Command): void {
  void program;
  registerSimulate(program);
  registerPlan(program);
  registerCampaign(program);
}
