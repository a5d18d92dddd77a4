/**
 * Facts about a run that are not in its journal, gathered by `drplan report` (file system, git)
 * and handed to the pure renderers: where the plan came from and whether it is still the same.
 */

export type GitFacts =
  /** The plan file is committed; `commit` last changed it. */
  | {
      kind: 'committed';
      commit: string;
      /** The working copy differs from the committed file (`git status --porcelain`). */
      modified: boolean;
      /** The committed file is byte-for-byte the one the run started from (null: could not tell). */
      committedMatchesRun: boolean | null;
    }
  /** In a repository but never committed. */
  | { kind: 'uncommitted' }
  | { kind: 'no-repository' }
  /** git is missing or failed: say so rather than guess. */
  | { kind: 'unknown'; reason: string };

export interface PlanSourceFacts {
  /** As recorded at start (relative to where the run was started). */
  file: string;
  /** Absolute path looked at. */
  path: string;
  exists: boolean;
  /** sha256 of the file as it is now. */
  digestNow: string | null;
  /** The file now is the one the run started from. */
  matchesRun: boolean | null;
  /** Why the plan could not be resolved again: the report then comes from the journal alone. */
  unavailable: string | null;
  git: GitFacts;
}

export interface ReportContext {
  /** When the report was made (epoch ms, real clock). */
  generatedAt: number;
  drplanVersion: string;
  /** Null when the journal has no start record. */
  source: PlanSourceFacts | null;
}

/** One sentence on the plan's provenance, for Markdown and HTML alike. */
export function describeProvenance(source: PlanSourceFacts | null): string {
  if (!source) return 'unknown (the journal has no start record)';
  const g = source.git;
  const now = !source.exists ? 'the plan file no longer exists' : source.matchesRun === false ? 'the plan file has changed since the run started' : null;
  let git: string;
  switch (g.kind) {
    case 'committed': {
      const short = g.commit.slice(0, 12);
      if (g.committedMatchesRun === true) git = `git commit ${short}: the run used the committed version`;
      else if (g.committedMatchesRun === false) git = `last committed in git commit ${short}, but the run used a version that differs from that commit`;
      else git = `last committed in git commit ${short}`;
      if (g.modified) git += '; the working copy has uncommitted changes';
      break;
    }
    case 'uncommitted':
      git = 'in a git repository but not committed';
      break;
    case 'no-repository':
      git = 'not in a git repository';
      break;
    case 'unknown':
      git = `git status unknown (${g.reason})`;
      break;
  }
  return now ? `${git}; ${now}` : git;
}
