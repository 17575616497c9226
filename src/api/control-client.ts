import { resolve } from 'node:path';
import type { ClockState, FixtureResult } from './types.ts';

/** A control endpoint answered with an error (or did not answer). */
export class KumoControlError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'KumoControlError';
  }
}

/** kumo's control endpoints (`/kumo/*`) over HTTP: what the CLI and child-process mode use. */
export class ControlClient {
  constructor(readonly endpoint: string) {}

  health(): Promise<Record<string, unknown>> {
    return this.call('GET', '/kumo/health');
  }

  async reset(service?: string): Promise<void> {
    await this.call('POST', service === undefined ? '/kumo/reset' : `/kumo/reset/${encodeURIComponent(service)}`, {});
  }

  clock(change?: { set?: number; advance?: number | string; freeze?: boolean }): Promise<ClockState> {
    return change ? this.call('POST', '/kumo/clock', change) : this.call('GET', '/kumo/clock');
  }

  /** Paths are resolved here: the server's working directory may differ from the caller's. */
  async snapshot(action: 'save' | 'load', dir: string): Promise<void> {
    await this.call('POST', `/kumo/snapshot/${action}`, { dir: resolve(dir) });
  }

  applyFixtures(source: string, fixture: unknown): Promise<FixtureResult> {
    return this.call('POST', '/kumo/fixtures', { source, fixture });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.endpoint + path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      const reason = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new KumoControlError(`cannot reach kumo at ${this.endpoint} (${reason})`, 0, 'Unreachable');
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new KumoControlError(`${this.endpoint}${path} answered ${res.status} with a body that is not JSON; is this kumo?`, res.status, 'NotKumo');
    }
    if (!res.ok) {
      const e = parsed as { error?: string; message?: string };
      throw new KumoControlError(e.message ?? `${method} ${path} answered ${res.status}`, res.status, e.error ?? 'Error');
    }
    return parsed as T;
  }
}
