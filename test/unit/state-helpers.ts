import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { StateEngine, type EngineOptions } from '../../src/state/index.ts';
import type { LogLevel } from '../../src/state/logger.ts';

const made: string[] = [];
// Registered while the test file loads, so it runs once all of the file's tests are done.
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp directory, removed after the test file. */
export function tmpDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kumo-state-test-'));
  made.push(dir);
  return dir;
}

export interface LogEntry {
  level: LogLevel;
  msg: string;
  fields?: object;
}

export function open(opts: Partial<EngineOptions> = {}, logs?: LogEntry[]): Promise<StateEngine> {
  return StateEngine.open({ kumoVersion: 'test', log: (level, msg, fields) => logs?.push({ level, msg, fields }), ...opts });
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export async function* chunksOf(...parts: (string | Buffer)[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

/** Offsets at which the frames of a journal/snapshot buffer start, plus its end. */
export function frameOffsets(buf: Buffer): number[] {
  const out: number[] = [];
  let off = 0;
  while (off + 8 <= buf.length) {
    out.push(off);
    off += 8 + buf.readUInt32LE(off);
  }
  out.push(off);
  return out;
}

/** Table contents as a plain object, for deepEqual. */
export function dump(engine: StateEngine, service: string, table: string): Record<string, unknown> {
  return Object.fromEntries(engine.service(service).table(table).entries());
}

/** Waits until `check()` holds (background work such as deferred deletes), failing after `ms`. */
export async function eventually(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
