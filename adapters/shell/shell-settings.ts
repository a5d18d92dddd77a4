import path from 'node:path';
import { parseDuration } from '../../engine/model/duration.js';
import { SHELL_DEFAULTS, type ShellConfig } from './declaration.js';

/**
 * An instance's config with defaults applied and durations in milliseconds, worked out once
 * when the instance opens so each call only combines it with its own input.
 */

/** What every call of one instance shares. */
export interface ShellSettings {
  /** Absolute default working directory. */
  cwd: string;
  /** The config's `env`, `env:NAME` references still unresolved (they are read per call). */
  env: Record<string, string>;
  inheritEnv: boolean;
  maxOutputBytes: number;
  killGraceMs: number;
  timeoutMs?: number;
}

/** Applies defaults to a schema-valid config; relative paths resolve against `planDir`. */
export function resolveShellSettings(config: ShellConfig, planDir: string): ShellSettings {
  const settings: ShellSettings = {
    cwd: path.resolve(planDir, config.cwd ?? '.'),
    env: { ...config.env },
    inheritEnv: config.inheritEnv ?? SHELL_DEFAULTS.inheritEnv,
    maxOutputBytes: config.maxOutputBytes ?? SHELL_DEFAULTS.maxOutputBytes,
    killGraceMs: readDuration('killGrace', config.killGrace ?? SHELL_DEFAULTS.killGrace),
  };
  if (config.timeout !== undefined) settings.timeoutMs = readDuration('timeout', config.timeout);
  return settings;
}

/** Milliseconds of a duration setting; throws naming the setting when it is not one. */
export function readDuration(setting: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`shell: ${setting} "${text}" is not a duration; write it like 90s, 10m or 1h30m`);
  return ms;
}
