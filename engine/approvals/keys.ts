import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { publicKeyFromPem } from './decision-statement.js';

const PRINCIPAL = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

/** Where a principal's private key lives: the user's config directory, never the repository. */
export function privateKeyPath(principal: string, env: Readonly<Record<string, string | undefined>>): string {
  const base = env.DRPLAN_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME ?? join(env.HOME ?? homedir(), '.config'), 'drplan');
  return join(base, 'keys', `${principal}.key`);
}

export interface GeneratedKeys {
  privateKeyFile: string;
  publicKeyFile: string;
}

/**
 * Creates an Ed25519 key pair with Node's crypto: the private key (PKCS#8 PEM, mode 0600) in the
 * config directory, the public key (SPKI PEM) as `<principal>.pub` for the repository. Refuses to
 * overwrite an existing private key: losing it would silently revoke every pending approval.
 */
export function generateApproverKeys(principal: string, publicDir: string, env: Readonly<Record<string, string | undefined>>, force = false): GeneratedKeys {
  if (!PRINCIPAL.test(principal)) throw new Error(`"${principal}" is not a principal name (letters, digits, . _ @ -)`);
  const privateKeyFile = privateKeyPath(principal, env);
  if (existsSync(privateKeyFile) && !force) {
    throw new Error(`${privateKeyFile} already exists; pass --force to replace it (approvals signed with the old key stop verifying once its .pub is replaced)`);
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  mkdirSync(join(privateKeyFile, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  mkdirSync(publicDir, { recursive: true });
  const publicKeyFile = join(publicDir, `${principal}.pub`);
  writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  return { privateKeyFile, publicKeyFile };
}

/** The folder of a plan's public keys: `spec.approverKeys`, else `approvers/`, relative to the plan file. */
export function approverKeysDir(planDir: string, approverKeys: string | undefined): string {
  return resolve(planDir, approverKeys ?? 'approvers');
}

/** Reads every `<principal>.pub` in a folder. Files that are not Ed25519 public keys are reported, not trusted. */
export function loadPublicKeys(dir: string): { keys: Map<string, KeyObject>; problems: string[] } {
  const keys = new Map<string, KeyObject>();
  const problems: string[] = [];
  if (!existsSync(dir)) return { keys, problems: [`no approver keys folder ${dir}`] };
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.pub')) continue;
    const principal = name.slice(0, -4);
    const key = publicKeyFromPem(readFileSync(join(dir, name), 'utf8'));
    if (key) keys.set(principal, key);
    else problems.push(`${join(dir, name)} is not an Ed25519 public key`);
  }
  return { keys, problems };
}
