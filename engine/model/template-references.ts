import Handlebars from 'handlebars';
import { isKnownHelper } from './template-language.js';

/** A problem or a path reference found in one template string, at a 1-based line and 0-based column inside it. */
export type TemplateFinding =
  | { type: 'syntax'; message: string; line: number; column: number }
  | { type: 'helper'; name: string; line: number; column: number }
  | { type: 'unsupported'; what: string; line: number; column: number }
  | { type: 'path'; parts: string[]; line: number; column: number };

export function containsTemplate(value: unknown): boolean {
  return typeof value === 'string' && value.includes('{{');
}

/**
 * Parses a template and lists what it references, without rendering it. Handlebars' parser is
 * pure; its errors carry a position we pass on.
 */
export function analyzeTemplate(template: string): TemplateFinding[] {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(template);
  } catch (error) {
    return [describeParseError(error instanceof Error ? error.message : String(error), template)];
  }
  const findings: TemplateFinding[] = [];
  const at = (node: hbs.AST.Node) => ({ line: node.loc?.start.line ?? 1, column: node.loc?.start.column ?? 0 });

  const visitExpression = (node: hbs.AST.Expression): void => {
    if (node.type === 'PathExpression') {
      const path = node as hbs.AST.PathExpression;
      if (path.data || path.depth > 0 || path.original.startsWith('this') || path.parts.length === 0) {
        findings.push({ type: 'unsupported', what: `"${path.original}"`, ...at(node) });
      } else findings.push({ type: 'path', parts: [...path.parts], ...at(node) });
    } else if (node.type === 'SubExpression') {
      visitCall(node as hbs.AST.SubExpression);
    }
  };
  const visitCall = (node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression): void => {
    const isCall = node.params.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || node.type === 'BlockStatement' || node.type === 'SubExpression';
    if (isCall) {
      const name = node.path.type === 'PathExpression' ? (node.path as hbs.AST.PathExpression).original : '';
      if (!isKnownHelper(name)) findings.push({ type: 'helper', name, ...at(node) });
      for (const p of node.params) visitExpression(p);
      for (const pair of node.hash?.pairs ?? []) visitExpression(pair.value);
    } else visitExpression(node.path);
  };
  const visitProgram = (p: hbs.AST.Program | undefined): void => {
    for (const statement of p?.body ?? []) {
      switch (statement.type) {
        case 'MustacheStatement':
          visitCall(statement as hbs.AST.MustacheStatement);
          break;
        case 'BlockStatement': {
          const block = statement as hbs.AST.BlockStatement;
          visitCall(block);
          visitProgram(block.program);
          visitProgram(block.inverse);
          break;
        }
        case 'PartialStatement':
        case 'PartialBlockStatement':
        case 'DecoratorBlock':
        case 'Decorator':
          findings.push({ type: 'unsupported', what: 'partials and decorators', ...at(statement) });
          break;
        default:
          break;
      }
    }
  };
  visitProgram(program);
  return findings;
}

/**
 * Handlebars reports `Parse error on line N:`, the line, a caret, and the parser's expected
 * tokens. Turn that into what a plan author can act on, at the caret's column.
 */
function describeParseError(message: string, template: string): TemplateFinding {
  const lines = message.split('\n');
  const line = Number(/line (\d+)/.exec(lines[0] ?? '')?.[1] ?? 1);
  const caret = lines.find((l) => /^-*\^$/.test(l));
  const got = /got '([^']+)'/.exec(message)?.[1];
  let column = caret ? caret.length - 1 : 0;
  // Running off the end of the template: the unclosed {{ is what to point at, not the end.
  if ((got === 'EOF' || got === 'INVALID') && line === 1) {
    const open = template.lastIndexOf('{{', Math.max(0, column));
    if (open >= 0) column = open;
  }
  const expectsEnd = /OPEN_ENDBLOCK/.test(message);
  let text: string;
  if (got === 'EOF' && expectsEnd) text = 'a block opened with {{#…}} is never closed with {{/…}}';
  else if (got === 'EOF') text = 'the template ends inside {{ … }}; close it with }}';
  else if (got === 'INVALID') text = 'a {{ is not closed with }}, or holds a character templates do not allow';
  else if (got === 'CLOSE' || got === 'CLOSE_UNESCAPED') text = 'a {{ … }} is closed before it is complete (a name or value is missing)';
  else if (got) text = `unexpected ${got.toLowerCase().replace(/_/g, ' ')} inside {{ … }}`;
  else text = lines.find((l) => l.trim() !== '' && !/^Parse error/.test(l)) ?? 'it is not a valid template';
  return { type: 'syntax', message: text, line, column };
}
