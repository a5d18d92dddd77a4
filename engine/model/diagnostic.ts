/**
 * Every problem drplan finds in user input is a Diagnostic: collected, never thrown.
 * Codes are stable (scripts and fixtures assert on them); messages may improve.
 */
export type Severity = 'error' | 'warning';

export type DiagnosticCode =
  // reading and parsing (engine/load)
  | 'FILE_UNREADABLE'
  | 'FILE_TOO_LARGE'
  | 'NOT_UTF8'
  | 'YAML_SYNTAX'
  | 'DUPLICATE_KEY'
  | 'MULTIPLE_DOCUMENTS'
  | 'EMPTY_DOCUMENT'
  | 'ALIAS_LIMIT'
  | 'FORBIDDEN_KEY'
  // shape (schema)
  | 'MISSING_FIELD'
  | 'UNKNOWN_FIELD'
  | 'WRONG_TYPE'
  | 'INVALID_VALUE'
  | 'INVALID_NAME'
  | 'INVALID_DURATION'
  | 'VALUE_OUT_OF_RANGE'
  | 'TOO_FEW_ITEMS'
  | 'DUPLICATE_ITEM'
  // meaning (semantic checks)
  | 'DUPLICATE_ID'
  | 'DUPLICATE_VM'
  | 'UNKNOWN_ADAPTER'
  | 'UNKNOWN_ADAPTER_TYPE'
  | 'INVALID_ADAPTER_CONFIG'
  | 'UNKNOWN_OPERATION'
  | 'SITE_OPERATION_MISSING'
  | 'INVALID_WITH'
  | 'WITH_WITHOUT_ACTION'
  | 'UNKNOWN_APPROVER'
  | 'QUORUM_TOO_LARGE'
  | 'UNKNOWN_GROUP'
  | 'DEPENDENCY_CYCLE'
  | 'STEP_KIND_MISSING'
  | 'STEP_KIND_CONFLICT'
  | 'MODE_NOT_DECLARED'
  | 'TEMPLATE_SYNTAX'
  | 'UNKNOWN_HELPER'
  | 'UNKNOWN_TEMPLATE_REFERENCE'
  | 'FOREACH_OUTSIDE_GROUP'
  | 'INVALID_PARAMETER_DEFAULT'
  | 'MISSING_ESTIMATE'
  // checked at the edge, where files can be looked at (engine/cli)
  | 'SCRIPT_NOT_FOUND'
  | 'SCRIPT_NOT_EXECUTABLE'
  // run-time inputs checked before anything runs (--mode, --param)
  | 'UNKNOWN_PARAMETER'
  | 'INVALID_PARAMETER_VALUE'
  | 'MISSING_PARAMETER';

export interface Position {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  endLine?: number;
  endCol?: number;
  /** JSON pointer into the plan document ('' for the whole document). */
  pointer: string;
  message: string;
  /** What to do about it. */
  hint?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
