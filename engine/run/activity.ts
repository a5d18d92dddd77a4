import type { Clock } from '../../adapters/types.js';

/**
 * Knows whether the run is doing anything or only waiting for people. When only people can move
 * it on, a simulated clock is held (time must not run out a gate while nobody could act) and the
 * runner is told, so a detached run can stop and a dry-run can report that it waits.
 */
export class Activity {
  private working = 0;
  private waiters = 0;
  private release: (() => void) | null = null;
  private confirm: NodeJS.Immediate | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly onQuiescent: () => void,
  ) {}

  /** Work that moves the run (an adapter call, a retry wait). Returns the function that ends it. */
  begin(): () => void {
    this.working++;
    this.thaw();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.working--;
      this.check();
    };
  }

  /** A wait for a person. Returns the function that ends it. */
  waitForPerson(): () => void {
    this.waiters++;
    this.check();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.waiters--;
      this.check();
    };
  }

  get onlyWaiting(): boolean {
    return this.working === 0 && this.waiters > 0;
  }

  dispose(): void {
    this.thaw();
  }

  private check(): void {
    if (!this.onlyWaiting) return this.thaw();
    // Freeze simulated time at once; confirm after a turn that this is a real wait and not the
    // gap between one step ending and the next starting.
    if (!this.release && this.clock.hold) this.release = this.clock.hold();
    this.confirm ??= setImmediate(() => {
      this.confirm = null;
      if (this.onlyWaiting) this.onQuiescent();
      else this.thaw();
    });
  }

  private thaw(): void {
    if (this.confirm) {
      clearImmediate(this.confirm);
      this.confirm = null;
    }
    if (this.release) {
      this.release();
      this.release = null;
    }
  }
}
