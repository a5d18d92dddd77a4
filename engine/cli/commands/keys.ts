import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { approverKeysDir, generateApproverKeys } from '../../approvals/keys.js';
import { readPlan } from '../../app/read-plans.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

/** `drplan keys generate <principal>`: an approver's Ed25519 key pair. */
export function registerKeys(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const keys = program.command('keys').description('approvers’ signing keys');
  keys
    .command('generate')
    .description('create an Ed25519 key pair: the private key in your config directory (0600), the public key for the repository')
    .argument('<principal>', 'your principal name, as listed in spec.approvers')
    .option('--out <dir>', 'where to write <principal>.pub (default: approvers/ here)')
    .option('--plan <file>', 'write <principal>.pub where this plan looks for keys (spec.approverKeys, else approvers/ beside it)')
    .option('--force', 'replace an existing private key')
    .action((principal: string, o: { out?: string; plan?: string; force?: boolean }) => {
      if (o.out && o.plan) throw new UsageError('give --out or --plan, not both');
      let publicDir = resolve(io.cwd, o.out ?? 'approvers');
      if (o.plan) {
        const checked = readPlan(o.plan, io.cwd);
        if (!checked.plan) throw new UsageError(`${o.plan} is not a valid plan; \`drplan validate ${o.plan}\` says why`);
        publicDir = approverKeysDir(dirname(checked.path), checked.plan.approverKeys);
      }
      try {
        const made = generateApproverKeys(principal, publicDir, io.env, Boolean(o.force));
        io.stdout(`private key: ${made.privateKeyFile} (mode 0600; never commit it)\npublic key:  ${made.publicKeyFile} (commit it beside the plans)\n`);
        setExit(EXIT.ok);
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
    });
}
