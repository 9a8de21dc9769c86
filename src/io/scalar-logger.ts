/**
 * One sink for training scalars, like SB3's `Logger`: the learner and the trainer `record`
 * values (or `recordMean` several samples of one value) during an iteration, then `dump(step)`
 * hands them all, with the stage, step and wall time, to every writer (TensorBoard, JSON lines,
 * a human-readable table) and clears them.
 */

/** What one `dump` hands to each writer. `values` keeps insertion order. */
export interface ScalarDump {
  stage: string;
  /** The global timestep (TensorBoard's step axis). */
  step: number;
  /** Wall-clock time of the dump, seconds since the Unix epoch. */
  wall: number;
  values: ReadonlyMap<string, number>;
}

export interface ScalarWriter {
  /** Used by `exclude` ('tensorboard', 'jsonl', 'human', ...). */
  readonly name: string;
  write(dump: ScalarDump): void;
  close(): void;
}

export interface RecordOptions {
  /** Names of writers that must not receive this key (SB3's `exclude`). */
  exclude?: readonly string[];
}

export interface ScalarLoggerOptions {
  stage?: string;
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
}

export class ScalarLogger {
  private readonly writers: ScalarWriter[];
  private readonly now: () => number;
  private stageName: string;
  private readonly values = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private readonly excluded = new Map<string, readonly string[]>();
  private readonly latest = new Map<string, { step: number; value: number }>();

  constructor(writers: ScalarWriter[], opts: ScalarLoggerOptions = {}) {
    this.writers = writers;
    this.now = opts.now ?? Date.now;
    this.stageName = opts.stage ?? 'default';
  }

  get stage(): string {
    return this.stageName;
  }

  /** Scalars dumped from now on belong to `stage` (TensorBoard folder `tensorboard/<stage>/`). */
  setStage(stage: string): void {
    this.stageName = stage;
  }

  /** Sets `key` to `value` for the next dump (a later call overwrites it). */
  record(key: string, value: number, opts: RecordOptions = {}): void {
    this.values.set(key, value);
    this.counts.delete(key);
    this.setExclude(key, opts);
  }

  /** Adds one sample to the running mean of `key` for the next dump. */
  recordMean(key: string, value: number, opts: RecordOptions = {}): void {
    const n = this.counts.get(key) ?? 0;
    const mean = this.values.get(key) ?? 0;
    this.values.set(key, n === 0 ? value : mean + (value - mean) / (n + 1));
    this.counts.set(key, n + 1);
    this.setExclude(key, opts);
  }

  /** Writes every recorded value at `step` to every writer, then clears them. */
  dump(step: number): void {
    if (this.values.size === 0) return;
    const wall = this.now() / 1000;
    for (const [key, value] of this.values) this.latest.set(key, { step, value });
    for (const w of this.writers) {
      let values: ReadonlyMap<string, number> = this.values;
      if (this.excluded.size > 0) {
        const kept = new Map<string, number>();
        for (const [k, v] of this.values) if (!this.excluded.get(k)?.includes(w.name)) kept.set(k, v);
        if (kept.size === 0) continue;
        values = kept;
      }
      w.write({ stage: this.stageName, step, wall, values });
    }
    this.values.clear();
    this.counts.clear();
    this.excluded.clear();
  }

  /** The last dumped value of `key` and its step (e.g. the last evaluation for a progress bar). */
  last(key: string): { step: number; value: number } | undefined {
    return this.latest.get(key);
  }

  /** Closes every writer (pending values that were never dumped are dropped). */
  close(): void {
    for (const w of this.writers) w.close();
  }

  private setExclude(key: string, opts: RecordOptions): void {
    if (opts.exclude && opts.exclude.length > 0) this.excluded.set(key, opts.exclude);
    else this.excluded.delete(key);
  }
}
