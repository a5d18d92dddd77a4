import type { JournalRecord, NewRecord, RunJournal, RunStore, RunSummary } from './journal.js';

/** Journals in memory: for tests, benchmarks and embedding. Nothing survives the process. */
export class MemoryStore implements RunStore {
  private readonly journals = new Map<string, MemoryJournal>();

  async create(runId: string): Promise<RunJournal> {
    if (this.journals.has(runId)) throw new Error(`run ${runId} already exists`);
    const journal = new MemoryJournal(runId);
    this.journals.set(runId, journal);
    return journal;
  }

  async open(runId: string): Promise<RunJournal> {
    const journal = this.journals.get(runId);
    if (!journal) throw new Error(`no run ${runId}`);
    return journal;
  }

  async list(): Promise<RunSummary[]> {
    const out: RunSummary[] = [];
    for (const j of this.journals.values()) {
      const first = j.records()[0];
      if (first?.type === 'run.started') out.push({ runId: j.runId, plan: first.data.plan, mode: first.data.mode, startedAt: first.time });
    }
    return out.sort((a, b) => b.startedAt - a.startedAt);
  }
}

class MemoryJournal implements RunJournal {
  private readonly list: JournalRecord[] = [];

  constructor(readonly runId: string) {}

  async append(records: readonly NewRecord[], time: number): Promise<JournalRecord[]> {
    const written = records.map((r) => ({ ...r, seq: this.list.length + 1, time }) as JournalRecord);
    for (const [i, r] of written.entries()) r.seq = this.list.length + 1 + i;
    this.list.push(...written);
    return written;
  }

  records(): readonly JournalRecord[] {
    return this.list;
  }

  async close(): Promise<void> {}
}
