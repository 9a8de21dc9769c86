import { join } from 'node:path';

/**
 * Where a run keeps its files (SPEC.md "Outputs of a run"). `root` is `--out DIR`.
 *
 *   run.lock                                         the pid and host of the one process training here
 *   checkpoints/<stage>/best/ | final/ | step_<N>/   a learner bundle (model + vec_normalize.json)
 *   checkpoints/<stage>/split.json                    data.snapshots: the files of each role
 *   checkpoints/training_state.json                   enough to resume
 *   tensorboard/<stage>/events.out.tfevents.*
 *   logs/train.log, logs/scalars.jsonl
 *   reports/test_results.json, reports/test_report.md   (sched test)
 *   schedules/, visualizations/
 *
 * The one place the run folder's layout is written down: the trainer, `sched test` and
 * `sched visualize` all take their paths from here (`new RunLayout('')` gives relative ones).
 */
export class RunLayout {
  constructor(readonly root: string) {}

  /** Held by the one `sched train` writing this folder (src/checkpoints/run-lock.ts). */
  get lock(): string {
    return join(this.root, 'run.lock');
  }
  get checkpoints(): string {
    return join(this.root, 'checkpoints');
  }
  get trainingState(): string {
    return join(this.checkpoints, 'training_state.json');
  }
  stageDir(stage: string): string {
    return join(this.checkpoints, stage);
  }
  best(stage: string): string {
    return join(this.stageDir(stage), 'best');
  }
  final(stage: string): string {
    return join(this.stageDir(stage), 'final');
  }
  periodic(stage: string, step: number): string {
    return join(this.stageDir(stage), `step_${step}`);
  }
  /** The stage's current normalization statistics, beside its checkpoints (SPEC.md). */
  vecNormalize(stage: string): string {
    return join(this.stageDir(stage), 'vec_normalize.json');
  }
  /** Which snapshot files a `data.snapshots` stage trains, evaluates and is tested on. */
  split(stage: string): string {
    return join(this.stageDir(stage), 'split.json');
  }
  tensorboard(stage: string): string {
    return join(this.root, 'tensorboard', stage);
  }
  get logs(): string {
    return join(this.root, 'logs');
  }
  get logFile(): string {
    return join(this.logs, 'train.log');
  }
  get scalarsFile(): string {
    return join(this.logs, 'scalars.jsonl');
  }
  get visualizations(): string {
    return join(this.root, 'visualizations');
  }
  get reports(): string {
    return join(this.root, 'reports');
  }
  get testResults(): string {
    return join(this.reports, 'test_results.json');
  }
  get testReport(): string {
    return join(this.reports, 'test_report.md');
  }
  get schedules(): string {
    return join(this.root, 'schedules');
  }
}
