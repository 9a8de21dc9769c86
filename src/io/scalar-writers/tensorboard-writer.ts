import { join } from 'node:path';
import { EventWriter, type EventWriterOptions } from '../tensorboard/writer.js';
import type { ScalarDump, ScalarWriter } from '../scalar-logger.js';

export interface TensorBoardScalarWriterOptions extends EventWriterOptions {
  /**
   * The global step of the checkpoint a run resumes from: the first events file opened marks
   * its session start at this step, so TensorBoard drops the events of the interrupted run
   * written after the checkpoint (they are replayed).
   */
  resumeStep?: number;
}

/**
 * Writes each dump to `<root>/<stage>/events.out.tfevents.*`, one Event per scalar, flushed
 * at every dump. One events file is open at a time: changing stage closes the previous one.
 *
 * Every file opened starts with a SessionLog START (at `resumeStep`, else at its first step),
 * as TensorFlow's supervisor did: TensorBoard ignores the first START of a folder and treats
 * any later one as a restart, purging the events at or after its step
 * (tensorboard/backend/event_processing/event_accumulator.py `_CheckForRestartAndMaybePurge`).
 */
export class TensorBoardScalarWriter implements ScalarWriter {
  readonly name = 'tensorboard';
  private current: { stage: string; writer: EventWriter } | null = null;
  private resumeStep: number | undefined;

  constructor(
    readonly root: string,
    private readonly opts: TensorBoardScalarWriterOptions = {},
  ) {
    this.resumeStep = opts.resumeStep;
  }

  write(dump: ScalarDump): void {
    const w = this.writerFor(dump.stage, dump.step);
    for (const [tag, value] of dump.values) w.addScalar(tag, value, dump.step, dump.wall);
    w.flush();
  }

  /** The events file currently written (for logs), or null. */
  get path(): string | null {
    return this.current?.writer.path ?? null;
  }

  close(): void {
    this.current?.writer.close();
    this.current = null;
  }

  private writerFor(stage: string, step: number): EventWriter {
    if (this.current?.stage === stage) return this.current.writer;
    this.close();
    const writer = new EventWriter(join(this.root, stage), this.opts);
    writer.addSessionStart(this.resumeStep ?? step);
    this.resumeStep = undefined;
    this.current = { stage, writer };
    return writer;
  }
}
