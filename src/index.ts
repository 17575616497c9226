import { startChild } from './api/child.ts';
import { clientConfigFor, timeOf } from './api/client-config.ts';
import type { ClockState, InProcessKumo, KumoInstance, KumoOptions } from './api/types.ts';
import { loadConfig, type KumoConfig } from './config.ts';
import { loadFaultFile } from './faults/load.ts';
import { parseDuration } from './control/duration.ts';
import { applyFixture } from './fixtures/apply.ts';
import { loadFixtureFile } from './fixtures/load.ts';
import { runInitScripts } from './init/scripts.ts';
import { App } from './server/app.ts';
import { listen, type Listener } from './server/listener.ts';
import { createLogger, type Logger } from './server/logger.ts';
import { StateEngine } from './state/index.ts';
import { VERSION } from './version.ts';

export type { KumoConfig, Durability, LogLevel } from './config.ts';
export type { ClientConfig, ClientConfigOptions, ClockState, FixtureResult, KumoInstance, KumoOptions } from './api/types.ts';
export { KumoControlError } from './api/control-client.ts';
export { FixtureError } from './fixtures/errors.ts';
export { VERSION } from './version.ts';

/** kumo running in this process. */
export type Kumo = InProcessKumo<App, StateEngine>;

/**
 * Starts kumo. Options override env vars (KUMO_*), which override defaults; `port: 0` picks a
 * free port. In-process by default; `mode: 'process'` runs it as a child process.
 */
export function startKumo(options?: KumoOptions & { mode?: 'in-process' }): Promise<Kumo>;
export function startKumo(options: KumoOptions & { mode: 'process' }): Promise<KumoInstance>;
export function startKumo(options?: KumoOptions & { mode?: 'in-process' | 'process' }): Promise<Kumo | KumoInstance>;
export function startKumo(options: KumoOptions & { mode?: 'in-process' | 'process' } = {}): Promise<Kumo | KumoInstance> {
  const { mode, logWriter, cliPath, ...overrides } = options;
  if (mode === 'process') return startChild({ overrides: stripUndefined(overrides), logWriter, cliPath });
  if (mode !== undefined && mode !== 'in-process') return Promise.reject(new TypeError(`startKumo: mode must be in-process or process, got ${String(mode)}`));
  return startInProcess(overrides, logWriter);
}

async function startInProcess(overrides: Partial<KumoConfig>, logWriter: ((line: string) => void) | undefined): Promise<Kumo> {
  const config: KumoConfig = { ...loadConfig(process.env), ...stripUndefined(overrides) };
  const faultRules = config.faults ? await loadFaultFile(config.faults) : [];
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
  for (const rule of faultRules) app.faults.put(rule);
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
  app.host.endpoint = endpoint;
  let stopping: Promise<void> | undefined;
  const reset = async (service?: string) => {
    await engine.reset(service);
    await app.host.reinit(service);
  };
  const clock = engine.clock;
  const applyFile = async (file: string, stale?: 'reapply' | 'refuse') => {
    const { source, fixture } = await loadFixtureFile(file);
    return applyFixture(app, source, fixture, { stale });
  };
  const kumo: Kumo = {
    endpoint,
    port,
    config,
    app,
    engine,
    clientConfig: (o) => clientConfigFor(endpoint, config.region, o),
    reset,
    snapshot: {
      save: (dir) => engine.saveSnapshot(dir),
      async load(dir) {
        await engine.loadSnapshot(dir);
        await app.host.reinit();
      },
    },
    clock: {
      get: async (): Promise<ClockState> => clock.describe(),
      async set(time) {
        clock.set(timeOf(time));
        return clock.describe();
      },
      async advance(duration) {
        const ms = parseDuration(duration);
        if (ms === undefined) throw new RangeError(`not a duration (ISO 8601 like PT5M, or non-negative ms): ${String(duration)}`);
        await clock.advance(ms);
        return clock.describe();
      },
      async freeze(on = true) {
        clock.freeze(on);
        return clock.describe();
      },
    },
    fixtures: { apply: (file) => applyFile(file) },
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
  };
  try {
    if (config.fixtures) await applyFile(config.fixtures, config.fixturesStale);
  } catch (err) {
    await kumo.stop();
    throw err;
  }
  if (config.initDir) void runInitScripts(app, config.initDir, logger, config.region);
  return kumo;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
