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
export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const logger: Logger = {
    level,
    enabled: (l) => ORDER[l] >= ORDER[logger.level],
    log(l, msg, fields) {
      if (!logger.enabled(l)) return;
      let line = `${new Date().toISOString()} ${l.toUpperCase().padEnd(5)} ${msg}`;
      if (fields) {
        for (const [k, v] of Object.entries(fields)) {
          if (v === undefined) continue;
          line += ` ${k}=${formatValue(v)}`;
        }
      }
      write(line + '\n');
    },
  };
  return logger;
}

function formatValue(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /^[\w.:/@+-]*$/.test(s) && s !== '' ? s : JSON.stringify(s);
}
