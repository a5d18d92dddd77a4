/**
 * The argv of a `run: { script, args }` step. `script` is a path relative to the plan file even
 * when it has no slash (`script: smoke.sh`), while a bare `argv[0]` means a PATH lookup — so a
 * slash-less script gets `./` to stay next to the plan.
 *
 * @example
 * ```ts
 * buildScriptArgv('smoke.sh', ['db']);          // ['./smoke.sh', 'db']
 * buildScriptArgv('scripts/flush.sh', ['--all']); // ['scripts/flush.sh', '--all']
 * ```
 */
export function buildScriptArgv(script: string, args: readonly string[] = []): string[] {
  return [script.includes('/') ? script : `./${script}`, ...args];
}
