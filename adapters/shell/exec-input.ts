import { OperationError, type JsonObject, type JsonValue } from '../types.js';

/**
 * The `with` of an `exec` call, checked at run time. Validation checks the plan's `with` against
 * the schema, but `run:` steps are built by the engine from rendered templates, so the adapter
 * checks again rather than trust a cast — and names the exact field when something is off.
 */

/** `exec`'s input (see `execWithSchema`). */
export interface ExecInput {
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
  timeout?: string;
  json?: boolean;
  stdin?: string;
}

const KNOWN_FIELDS = new Set(['argv', 'env', 'cwd', 'timeout', 'json', 'stdin']);

/** Checks `input` against `exec`'s contract; throws an OperationError naming the first bad field. */
export function readExecInput(input: JsonObject): ExecInput {
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.has(key)) reject(`unknown field "${key}"; exec takes ${[...KNOWN_FIELDS].join(', ')}`);
  }
  const { argv, env, cwd, timeout, json, stdin } = input;
  if (!Array.isArray(argv) || argv.length === 0) reject('`argv` must be a non-empty list of strings: the program, then its arguments');
  const args = argv.map((arg, i) => {
    if (typeof arg !== 'string') reject(`argv[${i}] must be a string, got ${describe(arg)}`);
    // The OS passes arguments as C strings: a NUL would silently cut the argument short.
    if (arg.includes('\0')) reject(`argv[${i}] contains a NUL character, which no command line can carry; pass such data on stdin`);
    return arg;
  });
  if (args[0] === '') reject('argv[0], the program, is empty');

  const result: ExecInput = { argv: args };
  if (env !== undefined) result.env = readEnv(env);
  if (cwd !== undefined) {
    if (typeof cwd !== 'string' || cwd === '') reject('`cwd` must be a non-empty path');
    result.cwd = cwd;
  }
  if (timeout !== undefined) {
    if (typeof timeout !== 'string') reject('`timeout` must be a duration such as "90s" or "10m"');
    result.timeout = timeout;
  }
  if (json !== undefined) {
    if (typeof json !== 'boolean') reject('`json` must be true or false');
    result.json = json;
  }
  if (stdin !== undefined) {
    if (typeof stdin !== 'string') reject('`stdin` must be a string');
    result.stdin = stdin;
  }
  return result;
}

function readEnv(env: JsonValue): Record<string, string> {
  if (env === null || typeof env !== 'object' || Array.isArray(env)) reject('`env` must be an object of NAME: value strings');
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name === '' || name.includes('=') || name.includes('\0')) reject(`env name "${name}" is not a valid variable name (empty, or contains "=" or NUL)`);
    if (typeof value !== 'string') reject(`env.${name} must be a string, got ${describe(value)}`);
    if (value.includes('\0')) reject(`env.${name} contains a NUL character, which no environment variable can carry`);
    result[name] = value;
  }
  return result;
}

function describe(value: JsonValue | undefined): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function reject(message: string): never {
  throw new OperationError(`shell exec: ${message}`, { retryable: false });
}
