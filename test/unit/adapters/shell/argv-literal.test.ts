import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { exec, expectOperationError, makePlanDir } from './helpers.js';

// Parameters reach commands as argv elements; whatever they contain, no shell ever sees them.

let planDir: string;
let printArgv: string;

beforeAll(async () => {
  planDir = await makePlanDir();
  printArgv = path.join(planDir, 'print-argv.mjs');
  // A script file, not `node -e`, so that node stops reading its own options at the script.
  await writeFile(printArgv, 'process.stdout.write(JSON.stringify(process.argv.slice(2)));\n');
  // Files a glob would match and a directory a `rm -rf` would delete.
  await writeFile(path.join(planDir, 'a.txt'), '');
  await writeFile(path.join(planDir, 'b.txt'), '');
  await mkdir(path.join(planDir, 'victim'));
});

const pwned = () => path.join(planDir, 'pwned');

function hostileArguments(): string[] {
  return [
    `; rm -rf ${path.join(planDir, 'victim')}`,
    `$(touch ${pwned()})`,
    `\`touch ${pwned()}\``,
    `&& touch ${pwned()}`,
    `| touch ${pwned()}`,
    `> ${pwned()}`,
    `x\ntouch ${pwned()}`,
    '"double quoted"',
    "'single quoted'",
    'it\'s "mixed"',
    '*',
    '*.txt',
    '?.txt',
    '[ab].txt',
    '~',
    '~root',
    '$HOME',
    '${PATH}',
    '-rf',
    '--help',
    '-',
    '--',
    '--inspect',
    'ünïcödé 日本語 🚀',
    '',
    '  spaced   out  ',
    'tab\there',
    'back\\slash',
    '#not a comment',
    '!!',
    '%s%n',
  ];
}

describe('shell exec passes every argv element literally', () => {
  it('gives the program each hostile argument unchanged, with no side effect', async () => {
    const args = hostileArguments();
    const output = await exec(planDir, { argv: [process.execPath, printArgv, ...args] });
    expect(JSON.parse(output.stdout as string)).toEqual(args);
    expect(existsSync(pwned())).toBe(false);
    expect(existsSync(path.join(planDir, 'victim'))).toBe(true);
  });

  it('keeps arguments literal when a plan calls a shell deliberately with them as positional parameters', async () => {
    const args = hostileArguments();
    // The documented pattern: a fixed script, parameters as "$@", never spliced into the script.
    const output = await exec(planDir, { argv: ['sh', '-c', 'printf "%s\\0" "$@"', 'sh', ...args] });
    const printed = (output.stdout as string).split('\0').slice(0, -1);
    expect(printed).toEqual(args);
    expect(existsSync(pwned())).toBe(false);
    expect(existsSync(path.join(planDir, 'victim'))).toBe(true);
  });

  it('treats shell syntax in argv[0] as a program name that does not exist', async () => {
    const error = await expectOperationError(exec(planDir, { argv: [`echo hi; touch ${pwned()}`] }));
    expect(error.message).toMatch(/^command not found: /);
    expect(existsSync(pwned())).toBe(false);
  });

  it('refuses a NUL in an argument instead of passing a shortened one', async () => {
    const error = await expectOperationError(exec(planDir, { argv: ['echo', 'a\0b'] }));
    expect(error.message).toMatch(/argv\[1\] contains a NUL character/);
  });

  const argument = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));

  it('round-trips any argv of strings without NUL exactly (node receiver)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(argument, { maxLength: 6 }), async (args) => {
        const output = await exec(planDir, { argv: [process.execPath, printArgv, ...args] });
        expect(JSON.parse(output.stdout as string)).toEqual(args);
      }),
      // Each run starts node (slow to start); the printf property below covers more cases.
      { numRuns: 25 },
    );
    expect(existsSync(pwned())).toBe(false);
  });

  it('round-trips any argv of strings without NUL exactly (printf receiver)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(argument, { maxLength: 8 }), async (args) => {
        const output = await exec(planDir, { argv: ['printf', '%s\\0', ...args] });
        const printed = (output.stdout as string).split('\0').slice(0, -1);
        expect(printed).toEqual(args.length === 0 ? [''] : args);
      }),
      { numRuns: 200 },
    );
    expect(existsSync(pwned())).toBe(false);
  });
});
