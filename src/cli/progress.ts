import type { EvalSummary, ProgressSink, ProgressState } from '../curriculum/progress-sink.js';
/**
 * Training progress for people: on a terminal, one live line (stage, step/total, fps, ETA,
 * last evaluation) redrawn in place; when not a terminal (CI, a pipe), a plain line at most
 * every `intervalSeconds`, and at each stage change; `silent` prints nothing.
 */

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export type ProgressMode = 'bar' | 'plain' | 'silent';

export interface ProgressOptions {
  stream?: ProgressStream;
  /** 'auto' (default): a bar on a TTY unless $CI is set, else plain lines. */
  mode?: ProgressMode | 'auto';
  /** Clock in milliseconds (default Date.now). */
  now?: () => number;
  /** Plain mode: at most one line per this many seconds (default 30). */
  intervalSeconds?: number;
  /** Bar mode: redraw at most every this many milliseconds (default 200). */
  redrawMs?: number;
}

export type { EvalSummary, ProgressState } from '../curriculum/progress-sink.js';

export function resolveProgressMode(mode: ProgressMode | 'auto', stream: ProgressStream, env = process.env): ProgressMode {
  if (mode !== 'auto') return mode;
  return stream.isTTY === true && !env.CI ? 'bar' : 'plain';
}

export class Progress implements ProgressSink {
  readonly mode: ProgressMode;
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly redrawMs: number;
  private state: ProgressState | null = null;
  private stageStart: { stage: string; step: number; t: number } | null = null;
  private lastOutput = -Infinity;
  private barShown = false;
  private printed: ProgressState | null = null;

  constructor(opts: ProgressOptions = {}) {
    this.stream = opts.stream ?? process.stderr;
    this.mode = resolveProgressMode(opts.mode ?? 'auto', this.stream);
    this.now = opts.now ?? Date.now;
    this.intervalMs = (opts.intervalSeconds ?? 30) * 1000;
    this.redrawMs = opts.redrawMs ?? 200;
  }

  update(state: ProgressState): void {
    if (this.mode === 'silent') return;
    const t = this.now();
    const newStage = this.stageStart === null || this.stageStart.stage !== state.stage;
    if (newStage) this.stageStart = { stage: state.stage, step: state.step, t };
    this.state = state;
    const due = newStage || t - this.lastOutput >= (this.mode === 'bar' ? this.redrawMs : this.intervalMs);
    if (!due) return;
    this.lastOutput = t;
    if (this.mode === 'bar') this.drawBar();
    else this.writePlain();
  }

  /** Prints a whole line (a log message, a table) without breaking the live bar. */
  print(text: string): void {
    if (this.mode === 'silent') return;
    const body = text.endsWith('\n') ? text : text + '\n';
    if (this.mode === 'bar' && this.barShown) {
      this.stream.write(`\r\x1b[K${body}`);
      this.barShown = false;
      this.drawBar();
    } else this.stream.write(body);
  }

  /** Final state (and an optional closing message); the bar is left on screen. */
  done(message?: string): void {
    if (this.mode === 'silent') return;
    if (this.mode === 'bar') {
      if (this.state) this.drawBar();
      if (this.barShown) this.stream.write('\n');
      this.barShown = false;
    } else if (this.state && this.printed !== this.state) {
      this.writePlain();
    }
    if (message) this.stream.write(`${message}\n`);
    this.state = null;
    this.stageStart = null;
  }

  /** Steps per second: the caller's figure, else measured since the stage's first update. */
  fps(): number | undefined {
    if (!this.state) return undefined;
    if (this.state.fps !== undefined) return this.state.fps;
    if (!this.stageStart) return undefined;
    const dt = (this.now() - this.stageStart.t) / 1000;
    const ds = this.state.step - this.stageStart.step;
    return dt > 0 && ds > 0 ? ds / dt : undefined;
  }

  private writePlain(): void {
    this.stream.write(`${this.describe(false)}\n`);
    this.printed = this.state;
  }

  private drawBar(): void {
    if (!this.state) return;
    const width = Math.max(20, (this.stream.columns ?? 100) - 1);
    let line = this.describe(true);
    if (line.length > width) line = line.slice(0, width - 1) + '…';
    this.stream.write(`\r${line}\x1b[K`);
    this.barShown = true;
  }

  private describe(bar: boolean): string {
    const s = this.state!;
    const frac = s.total > 0 ? Math.min(1, Math.max(0, s.step / s.total)) : 0;
    const fps = this.fps();
    const parts = [`${s.stage} (${s.stageIndex + 1}/${s.stageCount})`];
    if (bar) {
      const cells = 20;
      const full = Math.round(frac * cells);
      parts.push(`[${'#'.repeat(full)}${'-'.repeat(cells - full)}] ${(frac * 100).toFixed(0).padStart(3)}%`);
      parts.push(`${groupDigits(s.step)}/${groupDigits(s.total)}`);
    } else {
      parts.push(`step ${groupDigits(s.step)}/${groupDigits(s.total)} (${(frac * 100).toFixed(1)}%)`);
    }
    parts.push(fps !== undefined ? `${groupDigits(Math.round(fps))} fps` : '- fps');
    parts.push(`ETA ${fps !== undefined ? formatDuration(Math.max(0, s.total - s.step) / fps) : '?'}`);
    let out = parts.join(' ');
    if (s.lastEval) out += ` | ${formatEval(s.lastEval)}`;
    return out;
  }
}

export function createProgress(opts: ProgressOptions = {}): Progress {
  return new Progress(opts);
}

export function formatEval(e: EvalSummary): string {
  const bits = [`eval@${groupDigits(e.step)}`];
  if (e.meanReward !== undefined) bits.push(`reward ${e.meanReward.toFixed(1)}`);
  if (e.completionRate !== undefined) bits.push(`done ${(e.completionRate * 100).toFixed(0)}%`);
  if (e.onTimeRate !== undefined) bits.push(`on-time ${(e.onTimeRate * 100).toFixed(0)}%`);
  return bits.join(' ');
}

/** 1234567 -> "1,234,567" (no locale data needed). */
export function groupDigits(n: number): string {
  const s = String(Math.trunc(n));
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Seconds -> "0:42", "12:05", "3:02:09"; "?" when not finite. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}
