/**
 * Errors a user can act on. Each has a stable `code`; the CLI maps codes to exit codes in one
 * place (`exitCodeFor`). Messages are one sentence naming what and where; `details` may hold
 * further lines (e.g. every problem of a snapshot, each with its path).
 */
export type ErrorCode =
  | 'USAGE' // bad command-line arguments
  | 'CONFIG' // bad YAML or inconsistent configuration
  | 'SNAPSHOT' // a snapshot file that does not validate
  | 'IO' // a file that cannot be read or written
  | 'CHECKPOINT' // a missing or corrupted checkpoint
  | 'DB' // database connection or query problems
  | 'DATA' // bad rows or instances (import, ingest)
  | 'TRAINING' // NaN in the loss, diverged parameters
  | 'BACKEND' // no usable TensorFlow.js backend
  | 'INTERRUPTED'; // SIGINT / SIGTERM

export class SchedError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];
  constructor(code: ErrorCode, message: string, details: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchedError';
    this.code = code;
    this.details = details;
  }
}

const EXIT_CODES: Record<ErrorCode, number> = {
  USAGE: 2,
  CONFIG: 3,
  SNAPSHOT: 4,
  DATA: 4,
  IO: 5,
  CHECKPOINT: 6,
  DB: 7,
  TRAINING: 8,
  BACKEND: 9,
  INTERRUPTED: 130,
};

export function exitCodeFor(err: unknown): number {
  return err instanceof SchedError ? EXIT_CODES[err.code] : 1;
}

/** Formats an error for a terminal: the sentence, then its details indented, no stack. */
export function formatError(err: unknown): string {
  if (err instanceof SchedError) {
    const lines = [`error: ${err.message}`];
    for (const d of err.details) lines.push(`  ✖ ${d}`);
    return lines.join('\n');
  }
  const msg = err instanceof Error ? err.message : String(err);
  return `error: ${msg}`;
}
