import type { ErrorCode } from 'yaml';

/** A yaml parse error or warning, retold for someone editing a plan rather than a parser. */
export interface PlainYamlError {
  message: string;
  hint?: string;
}

interface Rule {
  code: ErrorCode;
  /** Matched against yaml's message; its groups feed `describe`. */
  pattern: RegExp;
  describe: (match: RegExpMatchArray) => PlainYamlError;
}

// yaml names tokens by their CST types; users know them by their characters.
const TOKEN_NAMES: Record<string, string> = {
  'flow-seq-start': '"["',
  'flow-seq-end': '"]"',
  'flow-map-start': '"{"',
  'flow-map-end': '"}"',
  'flow-error-end': 'a closing bracket',
  comma: '","',
  'map-value-ind': '":"',
  'seq-item-ind': '"-"',
  'block-seq-ind': '"-"',
  'explicit-key-ind': '"?"',
  'doc-start': '"---"',
  'doc-end': '"..."',
  'doc-mode': 'a document marker',
  anchor: 'an anchor (&name)',
  alias: 'an alias (*name)',
  tag: 'a tag (!name)',
  scalar: 'text',
  'block-scalar': 'a multi-line text block',
  'block-scalar-header': 'a "|" or ">" text block',
  'block-map': 'a mapping',
  'block-seq': 'a list',
  'flow-collection': 'a [ ] or { } collection',
  comment: 'a comment',
  directive: 'a directive',
  'directive-line': 'a directive',
  newline: 'a line break',
  space: 'a space',
  'byte-order-mark': 'a byte order mark',
};

const nameToken = (type: string | undefined): string => (type && TOKEN_NAMES[type]) ?? `"${type ?? '?'}"`;
const nameCollection = (what: string | undefined): string => (what?.includes('map') ? '{ }' : '[ ]');
const nameTag = (tag: string | undefined): string => (tag ?? '').replace(/^tag:yaml\.org,2002:/, '!!');

const QUOTE_HINT = 'if the value is meant as text, put it in quotes';

const RULES: Rule[] = [
  {
    code: 'BAD_INDENT',
    pattern: /^All mapping items must start at the same column/,
    describe: () => ({
      message: 'this key is not lined up with the keys above it',
      hint: 'indent every key of a mapping by the same number of spaces',
    }),
  },
  {
    code: 'BAD_INDENT',
    pattern: /^All sequence items must start at the same column/,
    describe: () => ({
      message: 'this list item is not lined up with the items above it',
      hint: 'start every "-" of a list in the same column',
    }),
  },
  {
    code: 'BAD_INDENT',
    pattern: /^Flow (sequence|map) in block collection must be sufficiently indented and end with a ([\]}])/,
    describe: (m) => ({
      message: `a ${m[1] === 'map' ? '{ }' : '[ ]'} collection is not closed, or a line inside it is not indented enough`,
      hint: `close it with "${m[2]}" and indent its continuation lines further than the key it belongs to`,
    }),
  },
  {
    code: 'BAD_INDENT',
    pattern: /^Flow end indicator should be more indented than parent/,
    describe: () => ({
      message: 'this closing bracket is not indented further than the key it belongs to',
      hint: 'indent the bracket further than the key',
    }),
  },
  {
    code: 'BAD_INDENT',
    pattern: /^Block scalar|^Block scalars/,
    describe: () => ({
      message: 'a line of this multi-line text ("|" or ">") is indented less than the first line',
      hint: 'indent every line of the text at least as far as its first line',
    }),
  },
  {
    code: 'BAD_SCALAR_START',
    pattern: /^Plain value cannot start with (?:reserved character )?(.*)$/,
    describe: (m) => ({ message: `a value cannot start with ${m[1]} unless it is quoted`, hint: QUOTE_HINT }),
  },
  {
    code: 'BLOCK_AS_IMPLICIT_KEY',
    pattern: /^Nested mappings are not allowed in compact mappings/,
    describe: () => ({
      message: 'a second "key:" on the same line as another key',
      hint: 'put the inner mapping on its own, more indented line; if the value is text containing ": ", put it in quotes',
    }),
  },
  {
    code: 'BLOCK_AS_IMPLICIT_KEY',
    pattern: /^A block sequence may not be used as an implicit map key/,
    describe: () => ({
      message: 'a list item where a key was expected',
      hint: 'check the indentation of the "-" lines around here',
    }),
  },
  {
    code: 'BLOCK_IN_FLOW',
    pattern: /./,
    describe: () => ({
      message: 'indented (block) structure inside [ ] or { }',
      hint: 'inside brackets separate items with "," and write mappings as { key: value }',
    }),
  },
  {
    code: 'MISSING_CHAR',
    pattern: /^Missing closing (["'])quote/,
    describe: (m) => ({
      message: `this ${m[1]}quoted${m[1]} value is never closed`,
      hint: `add the closing ${m[1]}`,
    }),
  },
  {
    code: 'MISSING_CHAR',
    pattern: /^Implicit map keys need to be followed by map values/,
    describe: () => ({
      message: 'expected ":" after this key',
      hint: 'write "key: value"; inside a mapping every line starts a key, so check the indentation too',
    }),
  },
  {
    code: 'MISSING_CHAR',
    pattern: /^Missing (, or :|,) between (flow \w+) items/,
    describe: (m) => ({
      message: `expected "${m[1] === ',' ? ',' : '," or ":'}" between the items of this ${nameCollection(m[2])} collection`,
      hint: 'separate the items with commas',
    }),
  },
  {
    code: 'MISSING_CHAR',
    pattern: /^Missing space after : in (flow \w+)/,
    describe: (m) => ({
      message: `expected a space after ":" in this ${nameCollection(m[1])} collection`,
      hint: 'write { key: value }',
    }),
  },
  {
    code: 'MISSING_CHAR',
    pattern: /^Tags and anchors must be separated from the next token by white space/,
    describe: () => ({ message: 'a tag or anchor runs into the value after it', hint: 'put a space after it' }),
  },
  {
    code: 'MISSING_CHAR',
    pattern: /^Comments must be separated from other tokens by white space/,
    describe: () => ({
      message: '"#" starts a comment only after a space',
      hint: 'put a space before "#", or quote the value if "#" is part of it',
    }),
  },
  {
    code: 'MISSING_CHAR',
    pattern: /^Sequence item without - indicator/,
    describe: () => ({
      message: 'this line is lined up neither with the keys above it nor as a new list item',
      hint: 'indent it like the keys of the item above, or start a new item with "- "',
    }),
  },
  {
    code: 'MISSING_CHAR',
    pattern: /^Missing directives-end/,
    describe: () => ({
      message: 'a directive (a line starting with "%") must be followed by a "---" line',
      hint: 'add "---" after the directives, or remove them',
    }),
  },
  {
    code: 'MISSING_CHAR',
    pattern: /^Block collection cannot start on same line with directives-end marker/,
    describe: () => ({ message: 'content on the same line as "---"', hint: 'start the plan on the line after "---"' }),
  },
  {
    code: 'MULTILINE_IMPLICIT_KEY',
    pattern: /./,
    describe: () => ({
      message: 'a key must fit on one line',
      hint: 'check for a missing ":" or a wrongly indented line just above',
    }),
  },
  {
    code: 'TAB_AS_INDENT',
    pattern: /./,
    describe: () => ({ message: 'tabs cannot be used for indentation in YAML', hint: 'indent with spaces' }),
  },
  {
    code: 'UNEXPECTED_TOKEN',
    pattern: /^Unexpected ,/,
    describe: () => ({ message: 'unexpected "," (an empty item)', hint: 'remove the extra comma' }),
  },
  {
    code: 'UNEXPECTED_TOKEN',
    pattern: /^Unexpected (?:block-seq-ind|seq-item-ind) on same line with key/,
    describe: () => ({
      message: 'a list cannot start on the same line as its key',
      hint: 'put each "- item" on its own line, indented under the key, or write [a, b]',
    }),
  },
  {
    code: 'UNEXPECTED_TOKEN',
    pattern: /^Unexpected ([\w-]+) at node end/,
    describe: (m) => ({
      message: `unexpected ${nameToken(m[1])} after the value`,
      hint: 'if the value is text containing ": " or " #", put it in quotes; otherwise check the indentation',
    }),
  },
  {
    code: 'UNEXPECTED_TOKEN',
    pattern: /^Unexpected ([\w-]+) token in YAML stream/,
    describe: (m) => ({
      message: `unexpected ${nameToken(m[1])} here`,
      hint: /end/.test(m[1] ?? '')
        ? 'remove it, or add the opening bracket it closes'
        : 'check the indentation and the line above',
    }),
  },
  {
    code: 'UNEXPECTED_TOKEN',
    pattern: /^Unexpected ([\w-]+)/,
    describe: (m) => ({ message: `unexpected ${nameToken(m[1])} here`, hint: 'check the indentation and the line above' }),
  },
  {
    code: 'BAD_DQ_ESCAPE',
    pattern: /^Invalid escape sequence (.*)$/,
    describe: (m) => ({
      message: `${m[1]} is not a valid escape in a "double-quoted" value`,
      hint: 'write \\\\ for a backslash, or use single quotes, which take backslashes literally',
    }),
  },
  {
    code: 'BAD_ALIAS',
    pattern: /^(Alias|Anchor) cannot be an empty string/,
    describe: (m) => ({
      message: `an ${m[1]!.toLowerCase()} needs a name after "${m[1] === 'Alias' ? '*' : '&'}"`,
      hint: QUOTE_HINT,
    }),
  },
  {
    code: 'BAD_ALIAS',
    pattern: /^(Alias|Anchor) ending in : is ambiguous/,
    describe: (m) => ({
      message: `this ${m[1]!.toLowerCase()} name ends in ":"`,
      hint: 'put a space before ":" if it separates a key from its value',
    }),
  },
  {
    code: 'MULTIPLE_ANCHORS',
    pattern: /./,
    describe: () => ({ message: 'a value can have only one anchor (&name)', hint: 'remove the extra anchor' }),
  },
  {
    code: 'MULTIPLE_TAGS',
    pattern: /./,
    describe: () => ({ message: 'a value can have only one tag (!name)', hint: 'remove the extra tag' }),
  },
  {
    code: 'ALIAS_PROPS',
    pattern: /./,
    describe: () => ({ message: 'an alias (*name) cannot have a tag or anchor', hint: 'remove the tag or anchor' }),
  },
  {
    code: 'BAD_PROP_ORDER',
    pattern: /./,
    describe: () => ({ message: 'a tag or anchor must come after "-", "?" or ":"', hint: 'move it after the indicator' }),
  },
  {
    code: 'KEY_OVER_1024_CHARS',
    pattern: /./,
    describe: () => ({ message: 'a key can be at most 1024 characters long', hint: 'shorten the key' }),
  },
  {
    code: 'NON_STRING_KEY',
    pattern: /./,
    describe: () => ({
      message: 'a key must be plain text, not a list, mapping or alias',
      hint: 'use a text key',
    }),
  },
  {
    code: 'TAG_RESOLVE_FAILED',
    pattern: /^Unresolved tag: (.*)$/,
    describe: (m) => ({
      message: `unknown tag ${nameTag(m[1])}; the value is read without it`,
      hint: 'drplan plans use no tags; remove it',
    }),
  },
  {
    code: 'BAD_DIRECTIVE',
    pattern: /./,
    describe: (m) => ({ message: `unsupported directive: ${lowerFirst(m.input ?? '')}`, hint: 'remove the "%" line' }),
  },
  {
    code: 'BAD_COLLECTION_TYPE',
    pattern: /./,
    describe: (m) => ({ message: `wrong tag for this collection: ${lowerFirst(m.input ?? '')}`, hint: 'remove the tag' }),
  },
];

/**
 * Plain wording for one of yaml's errors or warnings, keyed on its code and message. Anything
 * not covered keeps yaml's own message, so a new yaml release degrades to its wording, never
 * to nothing.
 */
export function describeYamlError(code: ErrorCode, message: string): PlainYamlError {
  for (const rule of RULES) {
    if (rule.code !== code) continue;
    const match = message.match(rule.pattern);
    if (match) return rule.describe(match);
  }
  return { message: lowerFirst(message) };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
