import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README promises a newcomer two commands on a fresh machine; CI (.ci/run) must run the
// same test command after the same install, or a green CI would prove something else than
// what the README tells people to run.

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The markdown section whose heading mentions "fresh machine", up to the next heading of its level or above. */
function freshMachineSection(markdown: string): string {
  const lines = markdown.split('\n');
  let fence = false;
  let start = -1;
  let level = 0;
  for (const [i, line] of lines.entries()) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (fence) continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (!heading) continue;
    if (start >= 0 && heading[1]!.length <= level) return lines.slice(start, i).join('\n');
    if (start < 0 && /fresh machine/i.test(heading[2]!)) {
      start = i;
      level = heading[1]!.length;
    }
  }
  if (start < 0) throw new Error('the README has no section whose heading mentions "fresh machine"');
  return lines.slice(start).join('\n');
}

/** The commands in a section's shell code blocks: one per line, without a `$ ` prompt, comments or blank lines. */
function shellCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/^```(?:sh|bash|shell|console)?\s*\n([\s\S]*?)^```/gm)) {
    for (const raw of block[1]!.split('\n')) {
      const line = raw.replace(/^\$\s+/, '').trim();
      if (line && !line.startsWith('#')) commands.push(line);
    }
  }
  return commands;
}

/** The npm commands a bash script runs, in order, cut at the first redirection or shell operator. */
function npmCommandsOf(script: string): string[] {
  const commands: string[] = [];
  for (const raw of script.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    for (const part of line.split(/&&|\|\||[|;]/)) {
      const words = part.trim().split(/\s+/);
      if (words[0] !== 'npm') continue;
      const end = words.findIndex((w, i) => i > 0 && /^(\d*[<>]|&>|\$\(|`)/.test(w));
      commands.push(words.slice(0, end < 0 ? undefined : end).join(' '));
    }
  }
  return commands;
}

describe('README "fresh machine" commands and .ci/run', () => {
  const readme = read('README.md');
  const ci = read('.ci/run');
  const commands = shellCommands(freshMachineSection(readme));

  it('the README gives exactly two commands for a fresh machine: install + demo, then the tests', () => {
    expect(commands).toEqual(['npm ci && npm run demo', 'npm test']);
  });

  it('.ci/run installs the way the README does, then runs the README test command', () => {
    const [installAndDemo, test] = commands;
    const install = installAndDemo!.split('&&')[0]!.trim();
    expect(npmCommandsOf(ci)).toEqual([install, test]);
  });

  it('.ci/run is an executable bash script that stops on the first error', () => {
    expect(ci.split('\n')[0]).toMatch(/^#!\/usr\/bin\/env bash$|^#!\/bin\/bash$/);
    expect(ci).toMatch(/^set -euo pipefail$/m);
    expect(statSync(join(root, '.ci/run')).mode & 0o111).not.toBe(0);
  });

  it('the commands name scripts package.json has', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const command of [...commands, ...npmCommandsOf(ci)]) {
      for (const m of command.matchAll(/npm (?:run )?(\S+)/g)) {
        const name = m[1]!;
        if (name === 'ci' || name === 'install') continue;
        expect(scripts, `npm script "${name}"`).toHaveProperty(name);
      }
    }
  });

  it('the parsers see through prompts, comments and redirections', () => {
    const md = '# x\n## On a fresh machine\n\n```sh\n$ npm ci && npm run demo\n# then\nnpm test\n```\n\n## Next\n```sh\nnpm run bench\n```\n';
    expect(shellCommands(freshMachineSection(md))).toEqual(['npm ci && npm run demo', 'npm test']);
    expect(npmCommandsOf('# npm nope\nnpm ci\nnpm test 2>&1 | tee "$log" || status=$?\n')).toEqual(['npm ci', 'npm test']);
  });
});

describe('README "30 seconds" example', () => {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## 30 seconds'), readme.indexOf('## On a fresh machine'));
  const plan = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  const consoleBlocks = [...section.matchAll(/```console\n([\s\S]*?)```/g)].map((m) => m[1]!);

  /** The output the README shows for a command line in its console blocks. */
  function shown(command: string): string {
    for (const block of consoleBlocks) {
      const at = block.indexOf(`$ ${command}\n`);
      if (at < 0) continue;
      const rest = block.slice(at + command.length + 3);
      const next = rest.search(/^\$ /m);
      return (next < 0 ? rest : rest.slice(0, next)).replace(/\n+$/, '\n');
    }
    throw new Error(`the README does not show \`${command}\``);
  }

  function drplanOn(planText: string, args: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'drplan-readme-'));
    try {
      writeFileSync(join(dir, 'shop-eu.yaml'), planText);
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
      delete env.FORCE_COLOR;
      return spawnSync(process.execPath, [join(root, 'bin', 'drplan.js'), ...args], { cwd: dir, encoding: 'utf8', env });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('the plan is valid, as the README shows', () => {
    expect(plan).toBeDefined();
    const r = drplanOn(plan!, ['validate', 'shop-eu.yaml']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toBe(shown('npx drplan validate shop-eu.yaml'));
  });

  // Formatting may improve; what the README promises is the steps a planned failover takes.
  it('`plan --mode planned` shows the same steps as the README', () => {
    const r = drplanOn(plan!, ['plan', 'shop-eu.yaml', '--mode', 'planned']);
    expect(r.status, r.stderr).toBe(0);
    const ids = (text: string) => [...text.matchAll(/^ +(?:● )? *([a-z0-9-]+(?:\/[a-z0-9-]+\/[A-Za-z]+)?) {2,}/gm)].map((m) => m[1]!);
    const readmeIds = ids(shown('npx drplan plan shop-eu.yaml --mode planned'));
    expect(readmeIds.length).toBeGreaterThan(10);
    expect(ids(r.stdout)).toEqual(readmeIds);
  });
});
