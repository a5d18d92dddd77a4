import { InvalidArgumentError, Option } from 'commander';
import { MODES, type ModeName } from '../model/plan.js';

export type OutputFormat = 'text' | 'json' | 'md' | 'html' | 'mermaid' | 'dot';

export function formatOption(choices: OutputFormat[], fallback: OutputFormat = choices[0]!): Option {
  return new Option('--format <format>', 'output format').choices(choices).default(fallback);
}

export function modeOption(required: boolean): Option {
  const option = new Option('--mode <mode>', 'failover mode').choices([...MODES]);
  return required ? option.makeOptionMandatory() : option;
}

/** Collects repeated `--param name=value` into an object. */
export function paramOption(): Option {
  return new Option('--param <name=value>', 'set a plan parameter (repeatable)').argParser(collectParam).default({}, 'none');
}

function collectParam(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected name=value, got "${value}"`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

export type { ModeName };
