import { join } from 'node:path';
import { EventWriter, type EventWriterOptions } from '../tensorboard/writer.js';
import type { ScalarDump, ScalarWriter } from '../scalar-logger.js';

export interface TensorBoardScalarWriterOptions extends EventWriterOptions {
  /**
   * When resuming from a checkpoint at this global step: the first events file opened gets a
   * SessionLog START at this step, so TensorBoard drops events of the interrupted run written
   * after the checkpoint (they are replayed).
   */
  resumeStep?: number;
}

/**
 * Writes each dump to `<root>/<stage>/events.out.tfevents.*`, one Event per scalar, flushed
 * at every dump. One events file is open at a time: changing stage closes the previous one.
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
    const w = this.writerFor(dump.stage);
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

  private writerFor(stage: string): EventWriter {
    if (this.current?.stage === stage) return this.current.writer;
    this.close();
    const writer = new EventWriter(join(this.root, stage), this.opts);
    if (this.resumeStep !== undefined) {
      writer.addSessionStart(this.resumeStep);
      this.resumeStep = undefined;
    }
    this.current = { stage, writer };
    return writer;
  }
}
