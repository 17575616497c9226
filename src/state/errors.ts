export type StateErrorCode =
  /** A journal, snapshot or manifest cannot be read; `file` and `offset` say where. */
  | 'DataCorrupt'
  /** Another live kumo holds the data dir. */
  | 'DataDirLocked'
  /** The directory exists, is not empty and has no kumo.json. */
  | 'NotADataDir'
  /** The data dir was written by a newer kumo. */
  | 'NewerFormat'
  /** saveSnapshot: the target is not an empty directory outside the data dir. */
  | 'InvalidSnapshotTarget'
  /** loadSnapshot: the source is not a readable kumo data dir. */
  | 'InvalidSnapshotSource'
  /** A write failed earlier (disk full, I/O error) or the engine is closed. */
  | 'Unavailable';

/**
 * Errors the engine raises on purpose. `status` is what the control plane answers with
 * (400 when the caller's input is at fault), the CLI exits non-zero on any of them.
 */
export class StateError extends Error {
  readonly code: StateErrorCode;
  readonly status: number;
  /** The caller's input is at fault (status 4xx): the control plane answers 400. */
  readonly userError: boolean;
  readonly file: string | undefined;
  readonly offset: number | undefined;

  constructor(code: StateErrorCode, message: string, opts: { status?: number; file?: string; offset?: number; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'StateError';
    this.code = code;
    this.status = opts.status ?? 500;
    this.userError = this.status < 500;
    this.file = opts.file;
    this.offset = opts.offset;
  }
}

export function corrupt(file: string, offset: number, what: string, cause?: unknown): StateError {
  return new StateError('DataCorrupt', `${file}: ${what} at byte offset ${offset}`, { file, offset, cause });
}

/** Re-labels a failure of a user-supplied snapshot directory as the caller's fault (400). */
export function asSnapshotSourceError(err: unknown, dir: string): StateError {
  const message = errorMessage(err);
  const file = err instanceof StateError ? err.file : undefined;
  const offset = err instanceof StateError ? err.offset : undefined;
  return new StateError('InvalidSnapshotSource', `cannot load snapshot ${dir}: ${message}`, { status: 400, file, offset, cause: err });
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
