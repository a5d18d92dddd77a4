import { resolve } from 'node:path';
import type { Command } from 'commander';
import { generateApproverKeys } from '../../approvals/keys.js';
import { EXIT, UsageError, type CliIo } from '../io.js';

/** `drplan keys generate <principal>`: an approver's Ed25519 key pair. */
export function registerKeys(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const keys = program.command('keys').description('approvers’ signing keys');
  keys
    .command('generate')
    .description('create an Ed25519 key pair: the private key in your config directory (0600), the public key for the repository')
    .argument('<principal>', 'your principal name, as listed in spec.approvers')
    .option('--out <dir>', 'where to write <principal>.pub (default: approvers/, or spec.approverKeys of your plans)', 'approvers')
    .option('--force', 'replace an existing private key')
    .action((principal: string, o: { out: string; force?: boolean }) => {
      try {
        const made = generateApproverKeys(principal, resolve(io.cwd, o.out), io.env, Boolean(o.force));
        io.stdout(`private key: ${made.privateKeyFile} (mode 0600; never commit it)\npublic key:  ${made.publicKeyFile} (commit it beside the plans)\n`);
        setExit(EXIT.ok);
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
    });
}
