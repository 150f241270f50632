import type { Command } from 'commander';
import { register as registerConnect } from './connect';
import { register as registerDoctor } from './doctor';
import { register as registerLine } from './line';
import { register as registerPermsets } from './permsets';

/** The admin's setup commands (docs/admin-setup.md): connect, doctor, line load, permsets assign. */
export function register(program: Command): void {
  registerConnect(program);
  registerDoctor(program);
  registerLine(program);
  registerPermsets(program);
}
