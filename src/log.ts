import { pino, type Logger, type DestinationStream } from 'pino';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type { Logger };

/**
 * The process logger. JSON lines to `file` when given (the run folder's log), and a short
 * human-readable line on stderr when stderr is a terminal (or `pretty` is forced).
 * Level from `SCHED_LOG_LEVEL` (default info); `silent` in tests.
 */
export function createLogger(opts: { file?: string; level?: string; terminal?: boolean } = {}): Logger {
  const level = opts.level ?? process.env.SCHED_LOG_LEVEL ?? 'info';
  const streams: { level: pino.Level; stream: DestinationStream }[] = [];
  if (opts.file) {
    mkdirSync(dirname(opts.file), { recursive: true });
    streams.push({ level: 'debug', stream: pino.destination({ dest: opts.file, sync: true, mkdir: true }) });
  }
  const terminal = opts.terminal ?? process.stderr.isTTY === true;
  if (terminal) streams.push({ level: level as pino.Level, stream: humanStream() });
  if (streams.length === 0) return pino({ level: 'silent' });
  return pino({ level: 'debug', base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, pino.multistream(streams));
}

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** One line per record: `info  message  key=value ...`. */
function humanStream(): DestinationStream {
  return {
    write(line: string) {
      try {
        const rec = JSON.parse(line) as Record<string, unknown>;
        const parts: string[] = [];
        for (const [k, v] of Object.entries(rec)) {
          if (!OMIT.has(k)) parts.push(`${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
        }
        const lvl = LEVEL_NAMES[rec.level as number] ?? 'info';
        process.stderr.write(`${lvl.padEnd(5)} ${String(rec.msg ?? '')}${parts.length ? '  ' + parts.join(' ') : ''}\n`);
      } catch {
        process.stderr.write(line);
      }
    },
  };
}
