import type { LogLevel } from '../config.ts';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  level: LogLevel;
  enabled(level: LogLevel): boolean;
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

/**
 * One line per event on stderr: `time LEVEL message key=value ...`, values JSON-quoted when
 * they contain spaces, so that both people and CI log readers can parse it.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const logger: Logger = {
    level,
    enabled: (l) => ORDER[l] >= ORDER[logger.level],
    log(l, msg, fields) {
      if (!logger.enabled(l)) return;
      let line = `${new Date().toISOString()} ${l.toUpperCase().padEnd(5)} ${msg}`;
      if (fields) {
        for (const k in fields) {
          const v = fields[k];
          if (v === undefined) continue;
          line += ` ${k}=${formatValue(v)}`;
        }
      }
      if (write) write(line + '\n');
      else writeStderr(line + '\n', l);
    },
  };
  return logger;
}

/**
 * stderr is written synchronously (a syscall per call), and the access log writes a line per
 * request: lines written in the same turn of the event loop go out together at its end. Errors
 * go out at once, and anything pending is written before the process exits.
 */
let pending = '';
let exitHooked = false;

function flushStderr(): void {
  if (pending === '') return;
  const out = pending;
  pending = '';
  process.stderr.write(out);
}

function writeStderr(line: string, level: LogLevel): void {
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', flushStderr);
  }
  if (pending === '' && level !== 'error') setImmediate(flushStderr);
  pending += line;
  if (level === 'error') flushStderr();
}

const PLAIN = /^[\w.:/@+-]+$/;

function formatValue(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return PLAIN.test(s) ? s : JSON.stringify(s);
}
