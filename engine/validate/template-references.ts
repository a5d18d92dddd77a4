import Handlebars from 'handlebars';
import { isKnownHelper } from '../model/template-language.js';

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
    const message = error instanceof Error ? error.message : String(error);
    const m = /line (\d+)/.exec(message);
    const first = message.split('\n')[0] ?? message;
    return [{ type: 'syntax', message: first.replace(/^Parse error on line \d+:?\s*/, ''), line: m ? Number(m[1]) : 1, column: 0 }];
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
