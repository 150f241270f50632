import type { Command } from 'commander';
import { register as registerSimulate } from './simulate';
import { register as registerPlan } from './plan';
import { register as registerCampaign } from './campaign';
import { register as registerAssign } from './assign';
import { register as registerRebalance } from './rebalance';
import { register as registerAudit } from './audit';
import { register as registerJobs } from './jobs';
import { register as registerBacktest } from './backtest';
import { register as registerForecast } from './forecast';
import { register as registerCalendar } from './calendar';
import { register as registerFit } from './fit';
import { register as registerQueue } from './queue';
import { register as registerSetup } from './setup';

/**
 * Every `asl` subcommand, in the order `asl --help` lists them. A command module exports
 * `register(program)`; add one import and one line below per command.
 */
export function registerCommands(program: Command): void {
  void program;
  registerSimulate(program);
  registerPlan(program);
  registerCampaign(program);
  registerAssign(program);
  registerRebalance(program);
  registerAudit(program);
  registerJobs(program);
  registerBacktest(program);
  registerForecast(program);
  registerCalendar(program);
  registerFit(program);
  registerQueue(program);
  registerSetup(program);
}
