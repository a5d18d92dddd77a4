import { OperationError } from '../types.js';
import { MINIMAL_ENV_NAMES } from './declaration.js';

/**
 * The environment a command runs with: drplan's own (all of it, or only PATH, HOME and LANG),
 * then the instance's `env`, then the step's. Values written `env:NAME` are copied from drplan's
 * environment, so a plan can hand a secret to a command without containing it.
 */

/** The layers a command's environment is built from, lowest first. */
export interface EnvSources {
  /** drplan's own environment. */
  processEnv: Readonly<Record<string, string | undefined>>;
  inheritEnv: boolean;
  /** The instance config's `env`. */
  configEnv: Readonly<Record<string, string>>;
  /** The call's `with.env`. */
  inputEnv?: Readonly<Record<string, string>> | undefined;
}

const REFERENCE = /^env:/;

/**
 * Builds the command's environment.
 *
 * @example
 * ```ts
 * buildCommandEnv({ processEnv: { PATH: '/bin', TOKEN: 's3cret' }, inheritEnv: false,
 *   configEnv: { API_TOKEN: 'env:TOKEN' } }); // { PATH: '/bin', API_TOKEN: 's3cret' }
 * ```
 */
export function buildCommandEnv(sources: EnvSources): Record<string, string> {
  const env: Record<string, string> = {};
  const inherited = sources.inheritEnv ? Object.keys(sources.processEnv) : MINIMAL_ENV_NAMES;
  for (const name of inherited) {
    const value = sources.processEnv[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [where, extra] of [['config env', sources.configEnv], ['with.env', sources.inputEnv ?? {}]] as const) {
    for (const [name, value] of Object.entries(extra)) env[name] = resolveValue(where, name, value, sources.processEnv);
  }
  return env;
}

/** Names of the variables the plan sets (never their values, which may be secrets): for logs. */
export function listPlanEnvNames(sources: EnvSources): string[] {
  return [...new Set([...Object.keys(sources.configEnv), ...Object.keys(sources.inputEnv ?? {})])];
}

function resolveValue(where: string, name: string, value: string, processEnv: EnvSources['processEnv']): string {
  if (!REFERENCE.test(value)) return value;
  const source = value.slice('env:'.length);
  if (source === '') {
    throw new OperationError(`shell: ${where} ${name} is "env:" without a variable name; write env:NAME to copy NAME from drplan's environment`, {
      retryable: false,
    });
  }
  const copied = processEnv[source];
  if (copied === undefined) {
    throw new OperationError(
      `shell: ${where} ${name} is env:${source}, but ${source} is not set in drplan's environment; export ${source} before running drplan`,
      { retryable: false },
    );
  }
  return copied;
}
