import { loadConfig, type KumoConfig } from './config.ts';
import { App } from './server/app.ts';
import { listen, type Listener } from './server/listener.ts';
import { createLogger, type Logger } from './server/logger.ts';
import { StateEngine } from './state/index.ts';
import { VERSION } from './version.ts';

export type { KumoConfig } from './config.ts';
export { VERSION } from './version.ts';

export interface KumoOptions extends Partial<KumoConfig> {
  /** Log sink (default stderr). */
  logWriter?: (line: string) => void;
}

export interface Kumo {
  /** `http://host:port` that clients should use. */
  endpoint: string;
  port: number;
  config: KumoConfig;
  app: App;
  engine: StateEngine;
  /** Stops accepting, lets in-flight requests finish, flushes state, releases the data dir. */
  stop(): Promise<void>;
  reset(service?: string): Promise<void>;
}

/** Starts kumo in this process. Options override env vars (KUMO_*), which override defaults. */
export async function startKumo(options: KumoOptions = {}): Promise<Kumo> {
  const { logWriter, ...overrides } = options;
  const config: KumoConfig = { ...loadConfig(process.env), ...stripUndefined(overrides) };
  const logger: Logger = createLogger(config.logLevel, logWriter);
  const engine = await StateEngine.open({
    dataDir: config.dataDir,
    durability: config.durability,
    seed: config.seed,
    persistServices: config.persistServices ?? 'all',
    kumoVersion: VERSION,
    log: (level, msg, fields) => logger.log(level, msg, fields as Record<string, unknown> | undefined),
  });
  let listener: Listener;
  const app = new App(config, engine, logger, VERSION);
  try {
    if (config.dataDir) await app.host.loadAll();
    listener = await listen(config.host, config.port, app.handle);
  } catch (err) {
    await engine.close();
    throw err;
  }
  const { port } = listener.address();
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const endpoint = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
  app.endpoint = endpoint;
  app.host.endpoint = endpoint;
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    port,
    config,
    app,
    engine,
    stop() {
      stopping ??= (async () => {
        // Stop accepting first, then release what services hold (long polls, function
        // processes) so in-flight requests can finish instead of waiting out the grace period.
        const draining = listener.close(10_000);
        await app.host.close();
        await draining;
        await engine.close();
      })();
      return stopping;
    },
    async reset(service) {
      await engine.reset(service);
      await app.host.reinit(service);
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
