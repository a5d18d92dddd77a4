/**
 * argv as operators read it in logs and errors: shell-style quoting so that where one argument
 * ends and the next begins is unambiguous. For display only — nothing is ever run from it.
 */

const PLAIN = /^[\p{L}\p{N}_@%+=:,./-]+$/u;
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_DISPLAY = 400;

/**
 * argv as one line for logs and messages.
 *
 * @example
 * ```ts
 * formatArgv(['psql', '-c', "select 'x'"]); // psql -c 'select '\''x'\'''
 * ```
 */
export function formatArgv(argv: readonly string[]): string {
  const text = argv.map(quoteArgument).join(' ');
  return text.length > MAX_DISPLAY ? `${text.slice(0, MAX_DISPLAY)}…` : text;
}

function quoteArgument(arg: string): string {
  if (arg === '') return "''";
  if (PLAIN.test(arg)) return arg;
  // Newlines and other control characters would break a one-line message: show them escaped.
  if (CONTROL.test(arg)) return JSON.stringify(arg);
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}
