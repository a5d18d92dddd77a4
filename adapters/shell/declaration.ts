import type { AdapterDeclaration, JsonSchema, OperationDeclaration } from '../types.js';

/**
 * The shell adapter's declaration (SPEC §2.1 `run` steps, §4): the config an instance takes and
 * its single `exec` operation. Pure: validation and `drplan plan` use it without running anything.
 */

/** An instance's `config` (`spec.adapters.<name>.config` for `type: shell`), already schema-valid. */
export interface ShellConfig {
  /** Working directory, relative to the plan's directory. Default: the plan's directory. */
  cwd?: string;
  /** Extra environment; a value `env:NAME` copies NAME from drplan's own environment. */
  env?: Record<string, string>;
  /** Pass drplan's whole environment to commands. Default true. */
  inheritEnv?: boolean;
  /** Bytes kept per stream (stdout, stderr); the tail is kept. Default 1 MiB. */
  maxOutputBytes?: number;
  /** Between SIGTERM and SIGKILL when a command is stopped. Default `5s`. */
  killGrace?: string;
  /** Longest a command may run. Default: no limit besides the step's own `timeout`. */
  timeout?: string;
}

/** Defaults applied when the config leaves a setting out. */
export const SHELL_DEFAULTS = {
  inheritEnv: true,
  maxOutputBytes: 1024 * 1024,
  killGrace: '5s',
} as const;

/** Variables a command still receives from drplan's environment when `inheritEnv` is false. */
export const MINIMAL_ENV_NAMES = ['PATH', 'HOME', 'LANG'] as const;

// Same grammar as the plan schema's `duration` and `parseDuration`.
const durationSchema = { type: 'string', pattern: '^(?=\\d)(\\d+d)?(\\d+h)?(\\d+m(?!s))?(\\d+s)?(\\d+ms)?$' };

const envSchema: JsonSchema = {
  type: 'object',
  propertyNames: { pattern: '^[^=\\u0000]+$' },
  additionalProperties: { type: 'string' },
};

/** JSON Schema (2020-12) of an instance's `config`; validation checks plans against it. */
export const shellConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cwd: {
      type: 'string',
      minLength: 1,
      description: "Working directory of the commands, relative to the plan's directory. Default: the plan's directory.",
    },
    env: {
      ...envSchema,
      description:
        "Extra environment variables for the commands. A value `env:NAME` copies NAME from drplan's own environment at run time, so secrets stay out of the plan.",
    },
    inheritEnv: {
      type: 'boolean',
      description: "Pass drplan's whole environment to the commands. When false they get only PATH, HOME and LANG, plus `env`. Default true.",
    },
    maxOutputBytes: {
      type: 'integer',
      minimum: 1,
      description: 'Most bytes of stdout and of stderr kept per command; past it the start is dropped and the output is marked `truncated`. Default 1048576 (1 MiB).',
    },
    killGrace: {
      ...durationSchema,
      description: 'How long a timed-out or cancelled command has between SIGTERM and SIGKILL to its whole process group. Default 5s.',
    },
    timeout: {
      ...durationSchema,
      description: "Longest a command of this instance may run before its process group is killed. A step's `with.timeout` overrides it. Default: none.",
    },
  },
};

/** Schema of `exec`'s `with` (and of the input the engine builds for `run:` steps). */
export const execWithSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['argv'],
  properties: {
    argv: {
      type: 'array',
      minItems: 1,
      items: { type: 'string' },
      description:
        'The program and its arguments, each element passed to the program as exactly one argument; never parsed by a shell. A program path containing a slash is relative to the plan directory; a bare name is looked up in PATH.',
    },
    env: { ...envSchema, description: 'Environment variables for this command, over the instance’s `env`; `env:NAME` values are copied from drplan’s environment.' },
    cwd: { type: 'string', minLength: 1, description: "Working directory for this command, relative to the plan's directory." },
    timeout: { ...durationSchema, description: 'Longest this command may run; overrides the instance’s `timeout`.' },
    json: { type: 'boolean', description: 'The command prints one JSON object on stdout; it becomes the step output. Default false.' },
    stdin: { type: 'string', description: 'Text written to the command’s standard input. Without it, stdin is closed.' },
  },
};

/** What `exec` returns without `json: true`. */
export const execResultSchema: JsonSchema = {
  type: 'object',
  required: ['exitCode', 'stdout', 'stderr', 'truncated', 'durationMs'],
  properties: {
    exitCode: { type: 'integer', description: 'The exit code: always 0, since any other fails the step.' },
    stdout: { type: 'string', description: 'Standard output, decoded as UTF-8 (its tail, when truncated).' },
    stderr: { type: 'string', description: 'Standard error, decoded as UTF-8 (its tail, when truncated).' },
    truncated: { type: 'boolean', description: 'Whether stdout or stderr exceeded `maxOutputBytes` and lost its start.' },
    durationMs: { type: 'number', description: 'How long the command ran, in milliseconds.' },
  },
};

/**
 * Schema of `exec`'s output: the result above, or with `json: true` the command's own JSON
 * object. Kept as `anyOf` with no top-level `properties` on purpose: the output's keys depend on
 * the step's `with.json`, which a per-operation list of keys cannot express, and listing the
 * result's keys would make `{{steps.<id>.output.<key>}}` on a JSON step look like a typo.
 */
export const execOutputSchema: JsonSchema = {
  anyOf: [execResultSchema, { type: 'object', description: 'With `json: true`: the JSON object the command printed on stdout.' }],
};

/** The `exec` operation, the only one a shell instance provides. */
export const execDeclaration: OperationDeclaration = {
  description:
    'Runs a local program with an argv list (no shell): fails on a non-zero exit, a signal, or a timeout, which kills its whole process group.',
  with: execWithSchema,
  output: execOutputSchema,
  // A command may do anything; running it twice is not known to be harmless, and nothing
  // can tell afterwards whether an interrupted attempt had its effect.
  idempotent: false,
  reconcilable: false,
};

/**
 * Declaration of `type: shell`.
 *
 * @example
 * ```yaml
 * adapters:
 *   sh: { type: shell, config: { cwd: scripts, timeout: 10m, env: { PGPASSWORD: env:PGPASSWORD } } }
 * ```
 */
export const shellDeclaration: AdapterDeclaration<ShellConfig> = {
  type: 'shell',
  description: 'Runs local commands as argv lists, never through a shell, with bounded output and process-group timeouts.',
  configSchema: shellConfigSchema,
  operations() {
    return { exec: execDeclaration };
  },
};
