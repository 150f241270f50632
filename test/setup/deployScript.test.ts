import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** scripts/deploy.sh --dry-run: the sf and asl commands it would run, in order (no org is reachable here). */
const ROOT = path.resolve(__dirname, '..', '..');
const deploy = (args: string[]) => execFileSync('bash', ['scripts/deploy.sh', ...args], { cwd: ROOT, encoding: 'utf8' });

describe('scripts/deploy.sh', () => {
  it('deploys the source, assigns permission sets per role and loads the line, in that order', () => {
    const out = deploy(['--dry-run', '--target-org', 'acme', '--integration-user', 'engine@acme.com', '--assign', 'ASL_SDR=ann@acme.com,bob@acme.com']);
    const commands = out.split('\n').filter((line) => line.startsWith('+ '));
    expect(commands).toEqual([
      '+ node_modules/.bin/sf project deploy start --source-dir force-app --target-org acme --wait 30',
      '+ node_modules/.bin/sf org assign permset --name ASL_Engine_Integration --on-behalf-of engine@acme.com --target-org acme',
      '+ node_modules/.bin/sf org assign permset --name ASL_SDR --on-behalf-of ann@acme.com --on-behalf-of bob@acme.com --target-org acme',
      '+ node_modules/.bin/tsx services/engine/cli/asl.ts line load --org sf:acme --file config/default-line.json'
    ]);
  });

  it('refuses to give the integration permission set to people', () => {
    expect(() => deploy(['--dry-run', '--target-org', 'acme', '--assign', 'ASL_Engine_Integration=ann@acme.com'])).toThrow();
  });

  it('requires a target org', () => {
    expect(() => deploy(['--dry-run'])).toThrow();
  });
});
