import type { Document, DocumentOptions, ParseOptions, SchemaOptions, YAMLError } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { DiagnosticCollector, type DiagnosticCounts } from '../model/diagnostic-cap.js';
import type { PlanSource } from '../model/plan-source.js';
import { buildPlainValue } from './build-plain-value.js';
import { decodePlanBytes, decodePlanString, utf8Length } from './decode-utf8.js';
import type { NotUtf8Reason } from './decode-utf8.js';
import { describeYamlError } from './describe-yaml-error.js';
import { inspectDocument } from './inspect-document.js';
import { createLoaderDiagnostic, formatCount } from './loader-diagnostic.js';
import { createLocator } from './locate-node.js';
import { MAX_NESTING_DEPTH, parseDocuments } from './parse-documents.js';
import { pointAfter, TextPositions } from './text-position.js';

/** Largest plan file read: 4 MiB, some hundred times a 10,000-VM plan. */
export const DEFAULT_MAX_PLAN_BYTES = 4 * 1024 * 1024;

/**
 * Most values aliases may add to a plan once expanded (each `*name` counts the size of the
 * value it copies, nested aliases included). A million keeps the worst case within what a
 * 4 MiB file without aliases can already hold (about two million values), while a 10,000-VM
 * plan that repeats a ten-field anchor on every VM (about 110,000) is nowhere near it, and a
 * "billion laughs" (10^9) is refused after reading a few hundred bytes of it. yaml's own
 * default (100) counts differently and would refuse that 10,000-VM plan.
 */
export const DEFAULT_MAX_ALIAS_COUNT = 1_000_000;

/** Limits for `loadPlanText`; the defaults suit hand-written and generated plans alike. */
export interface LoadOptions {
  /** Refuse input larger than this many bytes (UTF-8). Default {@link DEFAULT_MAX_PLAN_BYTES}. */
  maxBytes?: number;
  /** Most values aliases may add once expanded. Default {@link DEFAULT_MAX_ALIAS_COUNT}. */
  maxAliasCount?: number;
}

/** What `loadPlanText` returns: a source to validate, or the reasons there is none. */
export interface LoadResult {
  /** The parsed plan; null exactly when `diagnostics` holds an error. */
  source: PlanSource | null;
  /**
   * The problems found, errors and warnings, in text order: all of them up to
   * MAX_DIAGNOSTICS_PER_FILE (the first in reading order, errors before warnings).
   */
  diagnostics: Diagnostic[];
  /** Present when problems were found past that cap: how many were counted but left out. */
  omitted?: DiagnosticCounts;
}

// YAML 1.2 core schema, nothing more: no yaml-1.1 tags (!!binary, !!set, !!timestamp would
// hand Uint8Array, Set or Date to later stages), no merge keys. stringKeys makes `1:` and
// `"1":` the same key, as they are once in a JS object, and turns collection keys into
// errors. Duplicate keys are checked by inspectDocument in linear time (uniqueKeys is
// quadratic). prettyErrors is off because positions are computed here; logLevel is silent
// because a library must not write to the console.
const PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.2',
  schema: 'core',
  merge: false,
  resolveKnownTags: false,
  stringKeys: true,
  uniqueKeys: false,
  prettyErrors: false,
  logLevel: 'silent',
  keepSourceTokens: false,
};

const UTF16_HINT = 'save the file as UTF-8 (in most editors: "Save with Encoding" or "Reopen/Save as", then UTF-8)';

/**
 * Reads one plan file's text into plain data plus a source map, or says precisely why not.
 * Pure: the caller reads the file and hands over its bytes (preferred, so encoding problems can
 * be reported) or its text. User input never makes this throw; every problem becomes a
 * diagnostic at file:line:col, all of them counted, the first thousand kept (`omitted` counts
 * the rest, so memory stays bounded whatever the file holds).
 *
 * `source` is null whenever there is an error (FILE_TOO_LARGE, NOT_UTF8, YAML_SYNTAX,
 * DUPLICATE_KEY, MULTIPLE_DOCUMENTS, EMPTY_DOCUMENT, ALIAS_LIMIT, FORBIDDEN_KEY); warnings
 * (unknown tags, merge keys) leave it set. Its `text` is the decoded text without a BOM, the
 * text every position refers to.
 *
 * @example
 * ```ts
 * const { source, diagnostics } = loadPlanText(await readFile(path), path);
 * if (!source) return report(diagnostics);
 * source.value;                                  // { apiVersion: 'drplan/v1', ... }
 * source.locate('/spec/groups/0/id');            // { line: 12, col: 11, endLine: 12, endCol: 19 }
 * source.locate('/spec/groups/0/id', 'key');     // the "id" key instead of its value
 * ```
 */
export function loadPlanText(input: string | Uint8Array, file: string, options: LoadOptions = {}): LoadResult {
  const maxBytes = readLimit(options.maxBytes, DEFAULT_MAX_PLAN_BYTES);
  const maxAliasCount = readLimit(options.maxAliasCount, DEFAULT_MAX_ALIAS_COUNT);
  const fail = (found: Diagnostic[] | DiagnosticCollector): LoadResult => ({ source: null, ...resultOf(found) });
  const start = { line: 1, col: 1, endLine: 1, endCol: 1 };

  const size = typeof input === 'string' ? utf8Length(input) : input.length;
  if (size > maxBytes) {
    return fail([
      createLoaderDiagnostic(
        file,
        'FILE_TOO_LARGE',
        start,
        `the file is ${formatCount(size)} bytes, more than the limit of ${formatCount(maxBytes)} bytes`,
        { hint: 'check that this is the plan you meant; a plan this large is better split into several plans' },
      ),
    ]);
  }

  const decoded = typeof input === 'string' ? decodePlanString(input) : decodePlanBytes(input);
  if (!decoded.ok) {
    const point = pointAfter(decoded.prefix);
    return fail([
      createLoaderDiagnostic(
        file,
        'NOT_UTF8',
        { ...point, endLine: point.line, endCol: point.col + 1 },
        describeEncodingProblem(decoded.reason, decoded.byte, decoded.byteOffset),
        { hint: decoded.reason === 'invalid' ? 'save the file as UTF-8' : UTF16_HINT },
      ),
    ]);
  }
  const text = decoded.text;
  const positions = new TextPositions(text);

  let documents: Document.Parsed[];
  const diagnostics = new DiagnosticCollector();
  try {
    const parsed = parseDocuments(text, PARSE_OPTIONS, MAX_NESTING_DEPTH);
    if (!parsed.ok) {
      const point = positions.pointAt(parsed.tooDeepAt);
      return fail([
        createLoaderDiagnostic(
          file,
          'YAML_SYNTAX',
          { ...point, endLine: point.line, endCol: point.col + 1 },
          `the document nests more than ${MAX_NESTING_DEPTH} levels deep here`,
          { hint: 'plans need about ten levels; look for brackets that are never closed or runaway indentation' },
        ),
      ]);
    }
    documents = parsed.documents;
    diagnostics.addOmitted(parsed.omitted);
    // With no document at all, what the text held (a stray "...", a directive) is reported here.
    for (const error of parsed.streamErrors) diagnostics.add(fromYamlError(error, 'error', file, text, positions));
    for (const warning of parsed.streamWarnings) diagnostics.add(fromYamlError(warning, 'warning', file, text, positions));
  } catch (error) {
    // yaml reports problems as data; an exception here is a fault inside it, still about this
    // input, so it is reported against the file rather than crashing the command.
    return fail([
      createLoaderDiagnostic(file, 'YAML_SYNTAX', start, `the YAML parser failed on this file: ${String(error)}`, {
        hint: 'this is likely a bug in drplan or its YAML library; please report it with the file',
      }),
    ]);
  }

  for (const document of documents) {
    collectYamlErrors(document, file, text, positions, diagnostics);
    const directive = document.directives?.yaml;
    if (directive?.explicit && directive.version === '1.1') {
      // Honouring it would make `on: yes` booleans and `<<` merge keys in some files and not in
      // others; one reading for every plan is worth more, so say that it is ignored.
      const offset = Math.max(0, text.lastIndexOf('%YAML', document.range[0]));
      diagnostics.add(
        createLoaderDiagnostic(file, 'YAML_SYNTAX', positions.rangeAt(offset, offset + 9), '"%YAML 1.1" is ignored: plans are read as YAML 1.2', {
          severity: 'warning',
          hint: 'in YAML 1.2, yes/no/on/off are text (write true/false) and "<<" is an ordinary key; remove the directive',
        }),
      );
    }
  }

  const first = documents[0];
  const second = documents[1];
  if (second) {
    const offset = skipToContent(text, second.range[0]);
    const point = positions.pointAt(offset);
    const empty = isEmptyDocument(second);
    diagnostics.add(
      createLoaderDiagnostic(
        file,
        'MULTIPLE_DOCUMENTS',
        { ...point, endLine: point.line, endCol: point.col + (text.startsWith('---', offset) ? 3 : 1) },
        empty ? 'a second, empty YAML document starts here' : 'a second YAML document starts here',
        {
          hint: empty
            ? 'a plan file holds one document; remove this "---" line'
            : 'a plan file holds one plan; move the document that starts here into a file of its own',
        },
      ),
    );
  } else if ((!first || isEmptyDocument(first)) && !diagnostics.hasErrors) {
    const point = first ? positions.pointAt(skipToContent(text, first.range[0])) : { line: 1, col: 1 };
    diagnostics.add(
      createLoaderDiagnostic(file, 'EMPTY_DOCUMENT', { ...point, endLine: point.line, endCol: point.col }, 'the file holds no plan', {
        hint: 'a plan starts with "apiVersion: drplan/v1" and "kind: RecoveryPlan"',
      }),
    );
  }

  let firstInspection: ReturnType<typeof inspectDocument> | null = null;
  for (const document of documents) {
    const inspection = inspectDocument(document, { file, positions, maxAliasCount, diagnostics });
    firstInspection ??= inspection;
  }

  if (!first || !firstInspection || diagnostics.hasErrors) return fail(diagnostics);

  const aliasTargets = firstInspection.aliasTargets;
  const source: PlanSource = {
    file,
    text,
    value: buildPlainValue(first.contents, aliasTargets),
    locate: createLocator(first.contents, [first.range[0], first.range[1]], positions, aliasTargets),
  };
  return { source, ...resultOf(diagnostics) };
}

function resultOf(found: Diagnostic[] | DiagnosticCollector): Omit<LoadResult, 'source'> {
  return Array.isArray(found) ? { diagnostics: found } : found.result();
}

function readLimit(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && value >= 0 ? value : fallback;
}

function collectYamlErrors(document: Document.Parsed, file: string, text: string, positions: TextPositions, out: DiagnosticCollector): void {
  // One mistake often trips several of yaml's checks at the same spot; the first says it best.
  const seen = new Set<number>();
  for (const error of document.errors) {
    if (seen.has(error.pos[0])) continue;
    seen.add(error.pos[0]);
    out.add(fromYamlError(error, 'error', file, text, positions));
  }
  for (const warning of document.warnings) out.add(fromYamlError(warning, 'warning', file, text, positions));
}

function fromYamlError(error: YAMLError, severity: 'error' | 'warning', file: string, text: string, positions: TextPositions): Diagnostic {
  const { message, hint } = describeYamlError(error.code, error.message);
  let [from, to] = error.pos;
  // Some errors point at the start of a line's indentation; the caret belongs on its text.
  while (text[from] === ' ') from++;
  // A zero-width position still deserves a caret, unless it sits at the end of a line.
  to = Math.max(to, from < text.length && text[from] !== '\n' && text[from] !== '\r' ? from + 1 : from);
  return createLoaderDiagnostic(file, 'YAML_SYNTAX', positions.rangeAt(from, to, false), message, {
    severity,
    ...(hint ? { hint } : {}),
  });
}

function isEmptyDocument(document: Document.Parsed): boolean {
  const contents = document.contents as { value?: unknown; range?: number[] } | null;
  if (contents === null) return true;
  // An absent node is composed as a null scalar with an empty range; `null` or `~` are content.
  return contents.value === null && !!contents.range && contents.range[0] === contents.range[1];
}

/** The first offset at or after `from` that is neither white space nor inside a comment. */
function skipToContent(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
    else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else break;
  }
  return Math.min(i, text.length);
}

function describeEncodingProblem(reason: NotUtf8Reason, byte: number, offset: number): string {
  switch (reason) {
    case 'utf16le':
    case 'utf16be':
      return `the file is UTF-16 (${reason === 'utf16le' ? 'little' : 'big'}-endian, by its byte order mark), not UTF-8`;
    case 'utf32le':
    case 'utf32be':
      return `the file is UTF-32 (${reason === 'utf32le' ? 'little' : 'big'}-endian, by its byte order mark), not UTF-8`;
    case 'nul':
      return `the file contains a NUL byte (at byte ${formatCount(offset)}), so it is binary or UTF-16, not UTF-8 text`;
    case 'invalid':
      return `the file is not valid UTF-8: byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} (at byte ${formatCount(offset)}) is not part of a well-formed UTF-8 character`;
  }
}
