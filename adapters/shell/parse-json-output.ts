import { OperationError, type JsonObject } from '../types.js';

/**
 * `json: true`: the command's stdout is its result. It must be exactly one JSON object, so that
 * later steps can name its keys as `{{steps.<id>.output.<key>}}`.
 */

const QUOTE_CHARS = 200;

/** The JSON object on `stdout`; throws an OperationError quoting what was printed instead. */
export function parseJsonOutput(display: string, stdout: string, truncated: boolean, maxOutputBytes: number): JsonObject {
  const fail = (what: string) => new OperationError(`command ${display} ${what}`);
  if (truncated) {
    throw fail(
      `printed more than maxOutputBytes (${maxOutputBytes} bytes) on stdout, so its JSON was cut; raise maxOutputBytes in the instance config or print less`,
    );
  }
  const text = stdout.trim();
  if (text === '') throw fail('printed nothing on stdout, but the step has `json: true` and expects one JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw fail(`did not print valid JSON on stdout (${(error as Error).message}); stdout starts with: ${quote(text)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw fail(`printed ${kind} on stdout, but \`json: true\` expects one JSON object; stdout starts with: ${quote(text)}`);
  }
  return value as JsonObject;
}

function quote(text: string): string {
  return JSON.stringify(text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text);
}
