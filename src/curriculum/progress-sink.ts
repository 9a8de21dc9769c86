/**
 * What the trainer reports while it runs, and to what: the CLI's progress display
 * (src/cli/progress.ts) implements `ProgressSink`; the trainer knows only this interface.
 */
export interface EvalSummary {
  step: number;
  meanReward?: number;
  completionRate?: number;
  onTimeRate?: number;
}

export interface ProgressState {
  stage: string;
  /** 0-based position of the stage in the run, and how many stages the run has. */
  stageIndex: number;
  stageCount: number;
  /** Steps done in this stage and the stage's budget. */
  step: number;
  total: number;
  /** Environment steps per second; measured from successive updates when not given. */
  fps?: number;
  lastEval?: EvalSummary;
}

export interface ProgressSink {
  /** The stage's position and rate (a bar on a terminal, periodic lines elsewhere). */
  update(state: ProgressState): void;
  /** One line of its own (stage start and end, pretraining, success). */
  print(line: string): void;
  /** The run's last line. */
  done(line: string): void;
}
