import { Composer, Lexer, Parser } from 'yaml';
import type { CST, Document, DocumentOptions, ParseOptions, SchemaOptions, YAMLError } from 'yaml';

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
    }
  | {
      ok: false;
      /** Offset at which the text first nests deeper than the limit. */
      tooDeepAt: number;
    };

/**
 * `parseAllDocuments`, taken apart so the nesting depth can be watched while the text is read.
 *
 * yaml's parser and composer spend time and memory in proportion to nesting, and the composer
 * recurses once per level: a few hundred thousand "[" or "- " (well inside the size limit)
 * take seconds and gigabytes to parse, and past roughly 800 levels the composer runs out of
 * stack, which can abort the whole process from inside V8's regex compiler instead of
 * throwing. The parser keeps the open nodes on an explicit stack, so its length after each
 * token is the exact depth of the tree being built; reading stops as soon as it passes the
 * limit, after a few hundred bytes of even a 4 MiB bomb, and the composer never sees it.
 */
export function parseDocuments(
  text: string,
  options: ParseOptions & DocumentOptions & SchemaOptions,
  maxDepth = MAX_NESTING_DEPTH,
): ParsedDocuments {
  const lexer = new Lexer();
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  // The parser's stack holds the document, then every node open around the current token.
  const maxStack = maxDepth + 1;
  for (const lexeme of lexer.lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > maxStack) {
      return { ok: false, tooDeepAt: Math.max(0, Math.min(parser.offset - lexeme.length, text.length)) };
    }
  }
  for (const token of parser.end()) tokens.push(token);

  const composer = new Composer(options);
  const documents = [...composer.compose(tokens)] as Document.Parsed[];
  const stream = documents.length === 0 ? composer.streamInfo() : { errors: [], warnings: [] };
  return { ok: true, documents, streamErrors: stream.errors, streamWarnings: stream.warnings };
}
