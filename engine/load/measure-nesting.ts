/**
 * A guard that runs before yaml sees the text. yaml's parser and composer recurse once per
 * level of nesting: a few hundred thousand "[" or "- " (a few hundred KiB, well inside the
 * size limit) take seconds and gigabytes in the parser, and past roughly 800 levels the
 * composer runs out of stack, which can abort the whole process from inside V8's regex
 * compiler rather than throw. So the depth is estimated here, in one linear pass that
 * allocates nothing but a bounded stack, and deep text never reaches yaml.
 *
 * The estimate is a light lexer, not a YAML parser: it follows flow brackets, block indicators
 * ("- ", "? ", "key: ") and indentation, and skips comments, quoted scalars and block scalars
 * so brackets inside text do not count. It may be off by a level here and there (a compact
 * "key:\n- item" sequence counts as one level, not two), which is why the limit sits far
 * below where yaml breaks and far above what any plan needs.
 */

/** Deepest nesting accepted. Real plans use about ten levels; yaml breaks near 800. */
export const MAX_NESTING_DEPTH = 100;

/** Where the text first nests deeper than allowed. */
export interface NestingOverflow {
  /** Offset where the estimated depth first exceeds the limit. */
  offset: number;
  depth: number;
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;

/** The first place where `text` nests deeper than `limit`, or null. */
export function findExcessiveNesting(text: string, limit = MAX_NESTING_DEPTH): NestingOverflow | null {
  const n = text.length;
  const blocks: number[] = []; // columns of the open block collections, innermost last
  let flow = 0; // open [ and {
  let i = 0;
  let lineStart = 0;
  let nodeStart = true; // the next token begins a node (so [ { " ' | > & ! * mean something)
  let keyCol = -1; // column where the current block-context scalar began (a key, if ": " follows)

  const isBlank = (at: number): boolean => {
    if (at >= n) return true;
    const c = text.charCodeAt(at);
    return c === SPACE || c === TAB || c === LF || c === CR;
  };
  const isFlowIndicator = (c: number): boolean => c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;
  const skipToLineEnd = (from: number): number => {
    const nl = text.indexOf('\n', from);
    return nl === -1 ? n : nl;
  };
  const isDocumentMarker = (at: number): boolean =>
    (text.startsWith('---', at) || text.startsWith('...', at)) && isBlank(at + 3);
  /** Opens a block collection at `col`, closing those it dedents out of; false if too deep. */
  const openBlock = (col: number): boolean => {
    while (blocks.length > 0 && blocks[blocks.length - 1]! >= col) blocks.pop();
    blocks.push(col);
    return blocks.length + flow <= limit;
  };

  while (i < n) {
    if (i === lineStart && flow === 0) {
      let j = i;
      while (j < n && text.charCodeAt(j) === SPACE) j++;
      if (j === i && isDocumentMarker(i)) {
        blocks.length = 0;
        i += 3;
        nodeStart = true;
        keyCol = -1;
        continue;
      }
      if (j === i && text.charCodeAt(i) === 0x25 /* % directive */) {
        i = skipToLineEnd(i);
        continue;
      }
      nodeStart = true;
      keyCol = -1;
      i = j;
      if (i >= n) break;
    }
    const c = text.charCodeAt(i);
    const col = i - lineStart;

    if (c === LF) {
      i++;
      lineStart = i;
      continue;
    }
    if (c === SPACE || c === TAB || c === CR) {
      i++;
      continue;
    }
    if (c === 0x23 /* # */ && (i === 0 || isBlank(i - 1))) {
      i = skipToLineEnd(i);
      continue;
    }
    if (c === 0x5b || c === 0x7b /* [ { */) {
      if (flow > 0 || nodeStart) {
        flow++;
        if (blocks.length + flow > limit) return { offset: i, depth: blocks.length + flow };
        nodeStart = true;
        i++;
        continue;
      }
    } else if (c === 0x5d || c === 0x7d /* ] } */) {
      if (flow > 0) {
        flow--;
        nodeStart = false;
        i++;
        continue;
      }
    } else if (c === 0x2c /* , */) {
      if (flow > 0) {
        nodeStart = true;
        i++;
        continue;
      }
    } else if (c === 0x22 || c === 0x27 /* " ' */) {
      if (nodeStart) {
        if (flow === 0) keyCol = col;
        i = skipQuoted(text, i);
        nodeStart = false;
        continue;
      }
    } else if (c === 0x2d || c === 0x3f || c === 0x3a /* - ? : */) {
      const indicator =
        isBlank(i + 1) || (c === 0x3a && flow > 0 && isFlowIndicator(text.charCodeAt(i + 1)));
      if (indicator && (c === 0x3a || nodeStart) && !(c === 0x2d && flow > 0)) {
        if (flow === 0) {
          const at = c === 0x3a && keyCol >= 0 ? keyCol : col;
          if (!openBlock(at)) return { offset: i, depth: blocks.length + flow };
        }
        nodeStart = true;
        keyCol = -1;
        i++;
        continue;
      }
    } else if (c === 0x7c || c === 0x3e /* | > */) {
      if (nodeStart && flow === 0) {
        const parent = blocks.length > 0 ? blocks[blocks.length - 1]! : -1;
        i = skipBlockScalar(text, skipToLineEnd(i), parent, isDocumentMarker);
        lineStart = i;
        continue;
      }
    } else if (c === 0x26 || c === 0x21 || c === 0x2a /* & ! * */) {
      if (nodeStart) {
        // Anchors and tags come before a node (it still starts after them); an alias is one.
        let j = i + 1;
        while (j < n && !isBlank(j) && !(flow > 0 && isFlowIndicator(text.charCodeAt(j)))) j++;
        i = j;
        if (c === 0x2a) nodeStart = false;
        continue;
      }
    }
    // Anything else is part of a plain scalar.
    if (nodeStart && flow === 0) keyCol = col;
    nodeStart = false;
    i++;
  }
  return null;
}

/** Offset just past the quoted scalar starting at `start` (or the end, if never closed). */
function skipQuoted(text: string, start: number): number {
  const quote = text.charCodeAt(start);
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (quote === 0x22 && c === 0x5c /* \ */) i += 2;
    else if (c === quote) {
      if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i += 2;
      else return i + 1;
    } else i++;
  }
  return text.length;
}

/**
 * Offset of the first line after a block scalar's content: content lines are blank or indented
 * deeper than the collection holding the scalar; a document marker ends it regardless.
 */
function skipBlockScalar(
  text: string,
  headerEnd: number,
  parentCol: number,
  isDocumentMarker: (at: number) => boolean,
): number {
  let lineStart = headerEnd + 1;
  while (lineStart < text.length) {
    let j = lineStart;
    while (j < text.length && text.charCodeAt(j) === SPACE) j++;
    const c = text.charCodeAt(j);
    const blank = j >= text.length || c === LF || (c === CR && text.charCodeAt(j + 1) === LF);
    if (!blank && (j - lineStart <= parentCol || (j === lineStart && isDocumentMarker(j)))) return lineStart;
    const nl = text.indexOf('\n', j);
    if (nl === -1) return text.length;
    lineStart = nl + 1;
  }
  return Math.min(lineStart, text.length);
}
