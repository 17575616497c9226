import type { KumoConfig } from '../config.ts';

/** What `GET /kumo/clock` answers: the engine clock's time, whether it is frozen and its offset from real time. */
export interface ClockState {
  now: string;
  frozen: boolean;
  offsetMs: number;
}

/** Options any AWS SDK v3 client accepts (`new S3Client(kumo.clientConfig())`). */
export interface ClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** S3 buckets in the path, not the host name: `bucket.127.0.0.1` does not resolve. */
  forcePathStyle: true;
}

export interface ClientConfigOptions {
  /** A 12-digit key selects that account; any other key uses the default account. */
  accessKeyId?: string;
  region?: string;
}

/** The outcome of applying a fixture file. */
export interface FixtureResult {
  source: string;
  version: string;
  /** `applied`: created what was missing; `unchanged`: this version was already applied. */
  outcome: 'applied' | 'unchanged';
  created: string[];
}

/** A running kumo, in this process or a child process: the same calls either way. */
export interface KumoInstance {
  /** `http://host:port` that clients should use. */
  endpoint: string;
  port: number;
  config: KumoConfig;
  clientConfig(options?: ClientConfigOptions): ClientConfig;
  /** Empties every service, or one. */
  reset(service?: string): Promise<void>;
  snapshot: {
    /** Writes a consistent copy of all state to `dir` (new or empty) as a data dir. */
    save(dir: string): Promise<void>;
    /** Replaces all state with the data dir or snapshot at `dir`. */
    load(dir: string): Promise<void>;
  };
  clock: {
    get(): Promise<ClockState>;
    /** Moves the clock to a time (Date, ISO string or epoch ms); timers passed over fire in order. */
    set(time: Date | string | number): Promise<ClockState>;
    /** Moves the clock forward by milliseconds or an ISO 8601 duration (`PT5M`), firing due timers. */
    advance(duration: number | string): Promise<ClockState>;
    /** Stops (default) or restarts the clock. */
    freeze(on?: boolean): Promise<ClockState>;
  };
  fixtures: {
    /** Applies a fixture file (JSON or YAML) atomically: everything or nothing. */
    apply(file: string): Promise<FixtureResult>;
  };
  /** Stops accepting, lets in-flight requests finish, flushes state, releases the data dir. */
  stop(): Promise<void>;
}

/**
 * Options of startKumo besides `mode`: `in-process` (default) runs kumo in this process and the
 * result also exposes `app` and `engine`; `process` runs `kumo start` as a child process (its
 * own event loop and heap, killed with the parent) and the result has the same methods.
 */
export interface KumoOptions extends Partial<KumoConfig> {
  /** Log sink (default stderr); in process mode it receives the child's log lines. */
  logWriter?: (line: string) => void;
  /** Process mode: the CLI to run (default: the one shipped with this package). */
  cliPath?: string;
}

/** kumo running in this process: a KumoInstance plus its internals (the request dispatcher and the state engine). */
export interface InProcessKumo<App, Engine> extends KumoInstance {
  app: App;
  engine: Engine;
}
