import { Composer, Lexer, Parser } from 'yaml';
import type { CST, Document, DocumentOptions, ErrorCode, ParseOptions, SchemaOptions, YAMLError } from 'yaml';
import { MAX_DIAGNOSTICS_PER_FILE, type DiagnosticCounts } from '../model/diagnostic-cap.js';

/**
 * Deepest nesting accepted: the most nodes on a path from the document to a leaf, scalars
 * included (`a: [1]` is three: mapping, sequence, scalar). The example plans reach about
 * eleven; yaml's composer runs out of stack near 800.
 */
export const MAX_NESTING_DEPTH = 100;

export type ParsedDocuments =
  | {
      ok: true;
      documents: Document.Parsed[];
      /** Problems yaml found outside any document (only when there is none). */
      streamErrors: YAMLError[];
      streamWarnings: YAMLError[];
      /** Problems found past `maxProblems` of their severity: counted, not kept. */
      omitted: DiagnosticCounts;
    }
  | {
      ok: false;
      /** Offset at which the text first nests deeper than the limit. */
      tooDeepAt: number;
    };

/**
 * `parseAllDocuments`, taken apart so the nesting depth can be watched while the text is read
 * and the number of problems kept can be bounded.
 *
 * Depth: yaml's parser and composer spend time and memory in proportion to nesting, and the
 * composer recurses once per level: a few hundred thousand "[" or "- " (well inside the size
 * limit) take seconds and gigabytes to parse, and past roughly 800 levels the composer runs out
 * of stack, which can abort the whole process from inside V8's regex compiler instead of
 * throwing. The parser keeps the open nodes on an explicit stack, so its length after each
 * token is the exact depth of the tree being built; reading stops as soon as it passes the
 * limit, after a few hundred bytes of even a 4 MiB bomb, and the composer never sees it.
 *
 * Problems: yaml keeps every problem it meets as an Error object, stack trace included, and a
 * 4 MiB file can hold millions of them (3 million "]" took 80 s and 4 GB before the process
 * died). Only the first `maxProblems` errors and warnings are kept; the rest are counted in
 * `omitted`. Two places make them: stray tokens between documents, which the parser hands
 * over as "error" tokens and are counted here, and everything else, which goes through the
 * composer's `onError` (see {@link capComposerProblems}).
 */
export function parseDocuments(
  text: string,
  options: ParseOptions & DocumentOptions & SchemaOptions,
  maxDepth = MAX_NESTING_DEPTH,
  maxProblems = MAX_DIAGNOSTICS_PER_FILE,
): ParsedDocuments {
  const lexer = new Lexer();
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  const omitted: DiagnosticCounts = { errors: 0, warnings: 0 };
  // The parser's stack holds the document, then every node open around the current token.
  const maxStack = maxDepth + 1;
  let strayTokens = 0;
  let sawDocument = false;
  const keep = (token: CST.Token) => {
    if (token.type === 'document') sawDocument = true;
    // The composer turns each of these into an error of its own, bypassing onError.
    else if (isStrayToken(token, sawDocument) && ++strayTokens > maxProblems) {
      omitted.errors++;
      return;
    }
    tokens.push(token);
  };
  for (const lexeme of lexer.lex(text)) {
    for (const token of parser.next(lexeme)) keep(token);
    if (parser.stack.length > maxStack) {
      return { ok: false, tooDeepAt: Math.max(0, Math.min(parser.offset - lexeme.length, text.length)) };
    }
  }
  for (const token of parser.end()) keep(token);

  const composer = new Composer(options);
  capComposerProblems(composer, maxProblems, omitted);
  // Each problem yaml records is an Error; capturing a stack trace for each made composing a
  // file of 300,000 problems 7 times slower and twice as big. Nobody reads those stacks (the
  // problems become diagnostics), so none are captured while composing. Synchronous, and
  // restored before anything else runs.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let documents: Document.Parsed[];
  try {
    documents = Array.from(composer.compose(tokens)) as Document.Parsed[];
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const stream = documents.length === 0 ? composer.streamInfo() : { errors: [], warnings: [] };
  return { ok: true, documents, streamErrors: stream.errors, streamWarnings: stream.warnings, omitted };
}

type OnError = (source: unknown, code: ErrorCode, message: string, warning?: boolean) => void;

/**
 * Makes the composer keep at most `max` errors and `max` warnings, counting the rest in
 * `omitted`. It reports problems through its `onError` property, read afresh at every use
 * (private in yaml's typings, the same since yaml 2.0); wrapping it is the only way to stop
 * yaml from building them. Should a later yaml rename it, nothing breaks: every problem is
 * then kept, as before, and still capped when turned into diagnostics.
 *
 * One mistake often trips several checks at the same spot, and the loader reports those once;
 * the same is done for the ones counted here (a repeat of the position just before).
 */
function capComposerProblems(composer: Composer, max: number, omitted: DiagnosticCounts): void {
  const target = composer as unknown as { onError?: OnError };
  const report = target.onError;
  if (typeof report !== 'function') return;
  let errors = 0;
  let warnings = 0;
  let lastOmittedAt: number | null = null;
  target.onError = (source, code, message, warning) => {
    const kept = warning ? ++warnings <= max : ++errors <= max;
    if (kept) return report(source, code, message, warning);
    const at = startOf(source);
    if (at !== null && at === lastOmittedAt) return;
    lastOmittedAt = at;
    if (warning) omitted.warnings++;
    else omitted.errors++;
  };
}

/** Where yaml says a problem starts (as its own getErrorPos reads the same argument). */
function startOf(source: unknown): number | null {
  if (typeof source === 'number') return source;
  if (Array.isArray(source)) return typeof source[0] === 'number' ? source[0] : null;
  const offset = (source as { offset?: unknown } | null)?.offset;
  return typeof offset === 'number' ? offset : null;
}

/** A top-level token the composer reports as an error by itself (see yaml's Composer.next). */
function isStrayToken(token: CST.Token, sawDocument: boolean): boolean {
  switch (token.type) {
    case 'document':
    case 'directive':
    case 'byte-order-mark':
    case 'space':
    case 'comment':
    case 'newline':
      return false;
    case 'doc-end':
      // "..." ends the document before it; with none yet, it is an error.
      return !sawDocument;
    default:
      // "error" tokens, and any type yaml's composer does not expect at the top.
      return true;
  }
}
