/**
 * Everything people do to a running run arrives here as journal records (decisions, operator
 * actions, cancel). Waiting steps subscribe and re-read the history when something arrives.
 */
export class RunSignals {
  private listeners = new Set<() => void>();

  /** Resolves at the next record that may concern waiters, or when `signal` aborts. */
  next(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.listeners.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.listeners.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

/** What an operator or approver can do to a run, in-process. Each call is journaled. */
export interface RunControl {
  approve(stepId: string, by: string, comment?: string): Promise<void>;
  reject(stepId: string, by: string, comment?: string): Promise<void>;
  done(stepId: string, by: string, comment?: string): Promise<void>;
  retry(stepId: string, by: string, reason?: string): Promise<void>;
  skip(stepId: string, by: string, reason: string): Promise<void>;
  abort(stepId: string, by: string, reason?: string): Promise<void>;
  cancel(by: string, reason?: string): Promise<void>;
}
