import { describe, expect, it } from 'vitest';
import { buildCommandEnv } from '../../../../adapters/shell/build-env.js';
import { formatArgv } from '../../../../adapters/shell/format-argv.js';
import { formatOutputTail, takeLastLines } from '../../../../adapters/shell/output-tail.js';
import { buildScriptArgv } from '../../../../engine/model/script-argv.js';

describe('formatArgv', () => {
  it('shows plain arguments bare and quotes the rest so argument boundaries are visible', () => {
    expect(formatArgv(['./smoke.sh', 'db-1', '--mode=planned'])).toBe('./smoke.sh db-1 --mode=planned');
    expect(formatArgv(['psql', '-c', "select 'x'", ''])).toBe(`psql -c 'select '\\''x'\\''' ''`);
    expect(formatArgv(['echo', 'a\nb'])).toBe('echo "a\\nb"');
  });

  it('caps very long commands', () => {
    expect(formatArgv(['echo', 'x'.repeat(1000)]).length).toBeLessThanOrEqual(401);
  });
});

describe('takeLastLines', () => {
  it('keeps the last lines, ignoring trailing blank lines', () => {
    const text = Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n') + '\n\n';
    expect(takeLastLines(text, 3)).toBe('l27\nl28\nl29');
  });

  it('keeps at most maxBytes, not starting inside a character', () => {
    const tail = takeLastLines('é'.repeat(100), 20, 9);
    expect(tail).toBe('…éééé');
  });

  it('formats nothing for blank output', () => {
    expect(formatOutputTail('stderr', ' \n')).toBe('');
    expect(formatOutputTail('stderr', 'boom\n')).toBe('\nstderr (last line):\n  boom');
  });
});

describe('buildCommandEnv', () => {
  it('layers drplan env, config env and step env, resolving env:NAME', () => {
    const env = buildCommandEnv({
      processEnv: { PATH: '/bin', SECRET: 'x', UNSET: undefined },
      inheritEnv: true,
      configEnv: { A: 'config', B: 'env:SECRET' },
      inputEnv: { A: 'step' },
    });
    expect(env).toEqual({ PATH: '/bin', SECRET: 'x', A: 'step', B: 'x' });
  });

  it('refuses env: without a name', () => {
    expect(() => buildCommandEnv({ processEnv: {}, inheritEnv: false, configEnv: {}, inputEnv: { A: 'env:' } })).toThrow(/without a variable name/);
  });
});

describe('buildScriptArgv', () => {
  it('keeps a script without a slash next to the plan instead of looking it up in PATH', () => {
    expect(buildScriptArgv('smoke.sh', ['db'])).toEqual(['./smoke.sh', 'db']);
    expect(buildScriptArgv('scripts/flush.sh', ['--all'])).toEqual(['scripts/flush.sh', '--all']);
    expect(buildScriptArgv('/opt/dr/run.sh')).toEqual(['/opt/dr/run.sh']);
  });
});
