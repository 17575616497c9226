/**
 * Runs Lambda functions as local processes talking to kumo's Runtime API. One pool of warm
 * processes per function configuration (its key changes whenever code or configuration does);
 * a process handles one invocation at a time; more start, up to the pool's limit, while
 * invocations wait. Timeouts and crashes kill the process; the next invocation starts another.
 * Everything here is derived: code trees are unpacked on first use into a temp dir that is
 * removed when kumo stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirCache, extractZip } from './extract.ts';
import { LogBuffer, reportLine } from './logs.ts';
import { ExecutorError, launchPlan, type LaunchPlan } from './launch.ts';
import { reply, RuntimeApiServer } from './runtime-api.ts';

export interface CodeSource {
  /** Content id (hex SHA-256 of the zip): trees are unpacked once per id. */
  id: string;
  load(): Promise<Buffer>;
}

export interface FunctionSpec {
  /** Identity of the pool: equal keys must mean equal code and configuration. */
  key: string;
  runtime: string;
  handler: string;
  timeoutSeconds: number;
  memoryMb: number;
  /** Variables the function sees (user variables and the AWS_* set), without per-process ones. */
  env: Record<string, string>;
  code: CodeSource;
  layers: CodeSource[];
  maxProcesses: number;
}

export interface InvokeRequest {
  requestId: string;
  payload: Buffer;
  invokedArn: string;
  /** Version label for the START line (`$LATEST`, `3`). */
  version: string;
  traceId?: string;
  clientContext?: string;
  identity?: string;
}

export interface InvokeResult {
  payload: Buffer;
  /** Set when the function failed (AWS's X-Amz-Function-Error). */
  functionError?: 'Unhandled';
  /** The invocation's log as Lambda writes it (START ... REPORT). */
  log: string;
  /** The log stream of the process that ran it (`YYYY/MM/DD/[version]<hex>`). */
  logStream: string;
  durationMs: number;
}

export { ExecutorError };

const IDLE_MS = 5 * 60_000;
const UNKNOWN_RUNTIME = Buffer.from(JSON.stringify({ errorMessage: 'Unknown runtime', errorType: 'InvalidRequest' }));

interface Invocation {
  req: InvokeRequest;
  resolve(r: InvokeResult): void;
  started?: bigint;
  timer?: NodeJS.Timeout;
  log: LogBuffer;
  proc?: Proc;
  /** The runtime posted its result; the invocation ends once pending output is read. */
  answered?: boolean;
  done: boolean;
  initMs?: number;
}

interface Proc {
  token: string;
  child: ChildProcess;
  pool: Pool;
  state: 'init' | 'idle' | 'busy' | 'dead';
  waiting?: ServerResponse;
  /** A /next that came while the process was still busy. */
  parked?: ServerResponse;
  current?: Invocation;
  spawned: bigint;
  initMs?: number;
  initLog: LogBuffer;
  logStream: string;
  idleTimer?: NodeJS.Timeout;
  /** Last peak-memory reading and when it was taken (performance.now()). */
  memory?: { mb: number; at: number };
}

interface Pool {
  spec: FunctionSpec;
  plan: LaunchPlan;
  procs: Set<Proc>;
  queue: Invocation[];
  retired: boolean;
}

export class Executor {
  private root: string | undefined;
  private codeDirs: DirCache | undefined;
  private optDirs: DirCache | undefined;
  private api: Promise<RuntimeApiServer> | undefined;
  /** The started server, set before any pool exists (spawning is synchronous so limits hold). */
  private apiServer: RuntimeApiServer | undefined;
  private readonly pools = new Map<string, Promise<Pool>>();
  private readonly procs = new Map<string, Proc>();
  private closed = false;

  /** Runs one invocation to its end (success, function error, timeout or crash). */
  async invoke(spec: FunctionSpec, req: InvokeRequest): Promise<InvokeResult> {
    if (this.closed) throw new ExecutorError('kumo is stopping');
    const pool = await this.pool(spec);
    return new Promise<InvokeResult>((resolve) => {
      pool.queue.push({ req, resolve, log: new LogBuffer(), done: false });
      this.dispatch(pool);
    });
  }

  /** Drops warm processes of pools whose key starts with `prefix` (code or configuration changed, function deleted). */
  retire(prefix: string, keep?: string): void {
    for (const [key, p] of this.pools) {
      if (!key.startsWith(prefix) || key === keep) continue;
      this.pools.delete(key);
      void p.then((pool) => {
        pool.retired = true;
        for (const proc of pool.procs) if (proc.state === 'idle') this.kill(proc);
      }, () => undefined);
    }
  }

  /** Kills every process and removes the unpacked code. */
  async close(): Promise<void> {
    this.closed = true;
    for (const proc of [...this.procs.values()]) this.kill(proc);
    this.pools.clear();
    const api = this.api;
    this.api = undefined;
    this.apiServer = undefined;
    if (api) await (await api.catch(() => undefined))?.close();
    if (this.root) rmSync(this.root, { recursive: true, force: true });
    this.root = undefined;
    this.codeDirs = this.optDirs = undefined;
    this.closed = false;
  }

  private pool(spec: FunctionSpec): Promise<Pool> {
    let p = this.pools.get(spec.key);
    if (!p) {
      p = this.makePool(spec);
      this.pools.set(spec.key, p);
      p.catch(() => this.pools.delete(spec.key));
    }
    return p;
  }

  private async makePool(spec: FunctionSpec): Promise<Pool> {
    if (!this.root) {
      this.root = mkdtempSync(join(tmpdir(), 'kumo-lambda-'));
      this.codeDirs = new DirCache(join(this.root, 'code'));
      this.optDirs = new DirCache(join(this.root, 'opt'));
    }
    const codeDir = await this.codeDirs!.get(spec.code.id, async (dir) => extractZip(await spec.code.load(), dir));
    let optDir: string | undefined;
    if (spec.layers.length) {
      optDir = await this.optDirs!.get(spec.layers.map((l) => l.id.slice(0, 16)).join('-'), async (dir) => {
        for (const layer of spec.layers) await extractZip(await layer.load(), dir);
      });
    }
    const plan = await launchPlan(spec, codeDir, optDir);
    this.apiServer = await this.runtimeApi();
    return { spec, plan, procs: new Set(), queue: [], retired: false };
  }

  private runtimeApi(): Promise<RuntimeApiServer> {
    this.api ??= RuntimeApiServer.start({
      next: (token, res) => this.onNext(token, res),
      response: (token, id, body) => this.onResult(token, id, body, false),
      error: (token, id, body) => this.onResult(token, id, body, true),
      initError: (token, body) => this.onInitError(token, body),
    }, join(this.root!, 'runtime-api.sock'));
    return this.api;
  }

  private dispatch(pool: Pool): void {
    for (const proc of pool.procs) {
      if (pool.queue.length === 0) return;
      if (proc.state === 'idle' && proc.waiting) this.deliver(proc, pool.queue.shift()!);
    }
    let starting = 0;
    for (const proc of pool.procs) if (proc.state === 'init') starting++;
    while (pool.queue.length > starting && pool.procs.size < pool.spec.maxProcesses) {
      this.spawn(pool);
      starting++;
    }
  }

  private spawn(pool: Pool): void {
    const api = this.apiServer!;
    const token = randomBytes(12).toString('hex');
    const { command, args, cwd, env, invalidEntrypoint } = pool.plan;
    if (invalidEntrypoint) {
      const inv = pool.queue.shift();
      if (!inv) return;
      const message = `RequestId: ${inv.req.requestId} Error: ${invalidEntrypoint}`;
      inv.log.appendText(`START RequestId: ${inv.req.requestId} Version: ${inv.req.version}\n${message}\nRuntime.InvalidEntrypoint\n`);
      this.finish(inv, { payload: Buffer.from(JSON.stringify({ errorType: 'Runtime.InvalidEntrypoint', errorMessage: message })), functionError: 'Unhandled' }, 'error');
      return;
    }
    const logStream = logStreamName(pool.spec.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST');
    const child = spawn(command, args, {
      cwd,
      env: {
        ...env, AWS_LAMBDA_RUNTIME_API: `${api.address}/${token}`, AWS_LAMBDA_LOG_STREAM_NAME: logStream,
        ...(api.socketPath ? { KUMO_RUNTIME_API_SOCKET: api.socketPath } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    const proc: Proc = { token, child, pool, state: 'init', spawned: process.hrtime.bigint(), initLog: new LogBuffer(), logStream };
    this.procs.set(token, proc);
    pool.procs.add(proc);
    const sink = (chunk: Buffer) => (proc.current ? proc.current.log : proc.initLog).append(chunk);
    child.stdout!.on('data', sink);
    child.stderr!.on('data', sink);
    child.on('error', (err) => this.onExit(proc, `${err.message}`));
    child.on('exit', (code, signal) => this.onExit(proc, signal ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code}`));
  }

  private onNext(token: string, res: ServerResponse): void {
    const proc = this.procs.get(token);
    if (!proc || proc.state === 'dead') {
      return reply(res, 403, UNKNOWN_RUNTIME);
    }
    // kumo's node client pipelines /next right behind its result, whose body may still be
    // arriving: the request waits until that invocation has ended.
    if (proc.state === 'busy' && proc.current) {
      proc.parked = res;
      return;
    }
    if (proc.state === 'init') proc.initMs = Number(process.hrtime.bigint() - proc.spawned) / 1e6;
    proc.state = 'idle';
    proc.waiting = res;
    res.on('close', () => {
      if (proc.waiting === res) proc.waiting = undefined;
    });
    const pool = proc.pool;
    const next = pool.queue.shift();
    if (next) return this.deliver(proc, next);
    if (pool.retired) return this.kill(proc);
    clearTimeout(proc.idleTimer);
    proc.idleTimer = setTimeout(() => this.kill(proc), IDLE_MS).unref();
  }

  private deliver(proc: Proc, inv: Invocation): void {
    const res = proc.waiting!;
    proc.waiting = undefined;
    clearTimeout(proc.idleTimer);
    proc.state = 'busy';
    proc.current = inv;
    inv.proc = proc;
    const spec = proc.pool.spec;
    if (proc.initMs !== undefined) {
      inv.initMs = proc.initMs;
      inv.log.appendText(proc.initLog.text());
      proc.initMs = undefined;
    }
    inv.log.appendText(`START RequestId: ${inv.req.requestId} Version: ${inv.req.version}\n`);
    inv.started = process.hrtime.bigint();
    const timeoutMs = spec.timeoutSeconds * 1000;
    const headers: Record<string, string> = {
      'lambda-runtime-aws-request-id': inv.req.requestId,
      'lambda-runtime-deadline-ms': String(Date.now() + timeoutMs),
      'lambda-runtime-invoked-function-arn': inv.req.invokedArn,
    };
    if (inv.req.traceId) headers['lambda-runtime-trace-id'] = inv.req.traceId;
    if (inv.req.clientContext) headers['lambda-runtime-client-context'] = inv.req.clientContext;
    if (inv.req.identity) headers['lambda-runtime-cognito-identity'] = inv.req.identity;
    inv.timer = setTimeout(() => this.onTimeout(inv), timeoutMs);
    reply(res, 200, inv.req.payload, headers);
  }

  private onResult(token: string, requestId: string, body: Buffer, failed: boolean): boolean {
    const proc = this.procs.get(token);
    const inv = proc?.current;
    if (!proc || !inv || inv.req.requestId !== requestId || inv.done || inv.answered) return false;
    inv.answered = true;
    // Output written just before the result is already in the pipes; let it be read first.
    setImmediate(() => {
      if (proc.current === inv) proc.current = undefined;
      this.finish(inv, failed ? { payload: body, functionError: 'Unhandled' } : { payload: body });
      const parked = proc.parked;
      proc.parked = undefined;
      if (parked && proc.state === 'busy') {
        proc.state = 'idle';
        this.onNext(token, parked);
      }
    });
    return true;
  }

  private onInitError(token: string, body: Buffer): boolean {
    const proc = this.procs.get(token);
    if (!proc) return false;
    const inv = proc.current ?? proc.pool.queue.shift();
    if (inv) {
      inv.proc = proc;
      inv.initMs = Number(process.hrtime.bigint() - proc.spawned) / 1e6;
      inv.log.appendText(proc.initLog.text());
      inv.log.appendText(`START RequestId: ${inv.req.requestId} Version: ${inv.req.version}\n`);
      inv.started = process.hrtime.bigint();
      setImmediate(() => this.finish(inv, { payload: body, functionError: 'Unhandled' }, 'error'));
    }
    proc.current = undefined;
    this.kill(proc);
    return true;
  }

  private onTimeout(inv: Invocation): void {
    if (inv.done) return;
    const seconds = inv.proc!.pool.spec.timeoutSeconds.toFixed(2);
    inv.log.appendText(`${new Date().toISOString()} ${inv.req.requestId} Task timed out after ${seconds} seconds\n`);
    const proc = inv.proc!;
    proc.current = undefined;
    this.kill(proc);
    this.finish(inv, {
      payload: Buffer.from(JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${inv.req.requestId} Error: Task timed out after ${seconds} seconds` })),
      functionError: 'Unhandled',
    }, 'timeout');
  }

  private onExit(proc: Proc, how: string): void {
    if (proc.state === 'dead' && !this.procs.has(proc.token)) return;
    const wasInit = proc.state === 'init';
    this.forget(proc);
    const pool = proc.pool;
    const inv = proc.current ?? (wasInit ? pool.queue.shift() : undefined);
    proc.current = undefined;
    if (inv && !inv.done) {
      if (!inv.started) {
        inv.log.appendText(proc.initLog.text());
        inv.log.appendText(`START RequestId: ${inv.req.requestId} Version: ${inv.req.version}\n`);
        inv.started = process.hrtime.bigint();
      }
      const message = `RequestId: ${inv.req.requestId} Error: Runtime exited with error: ${how}`;
      inv.log.appendText(`${message}\nRuntime.ExitError\n`);
      this.finish(inv, { payload: Buffer.from(JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: message })), functionError: 'Unhandled' }, 'error');
    }
    this.dispatch(pool);
  }

  private finish(inv: Invocation, result: { payload: Buffer; functionError?: 'Unhandled' }, status?: 'timeout' | 'error'): void {
    if (inv.done) return;
    inv.done = true;
    clearTimeout(inv.timer);
    const durationMs = inv.started ? Number(process.hrtime.bigint() - inv.started) / 1e6 : 0;
    const spec = inv.proc?.pool.spec;
    inv.log.appendText(`END RequestId: ${inv.req.requestId}\n`);
    inv.log.appendText(reportLine(inv.req.requestId, durationMs, spec?.memoryMb ?? 0, inv.proc ? maxMemoryMb(inv.proc) : 0, inv.initMs, status));
    inv.resolve({ ...result, log: inv.log.text(), logStream: inv.proc?.logStream ?? logStreamName(inv.req.version), durationMs });
  }

  private kill(proc: Proc): void {
    this.forget(proc);
    for (const res of [proc.waiting, proc.parked]) if (res && !res.headersSent) res.destroy();
    proc.waiting = proc.parked = undefined;
    proc.child.kill('SIGKILL');
  }

  private forget(proc: Proc): void {
    proc.state = 'dead';
    clearTimeout(proc.idleTimer);
    this.procs.delete(proc.token);
    proc.pool.procs.delete(proc);
  }
}

function logStreamName(version: string): string {
  const d = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return `${d}/[${version}]${randomBytes(16).toString('hex')}`;
}

/**
 * Peak resident memory of a process (Linux /proc), for the REPORT line; read at most once a
 * second per process, since warm invocations come faster than the figure changes.
 */
function maxMemoryMb(proc: Proc): number {
  const now = performance.now();
  if (proc.memory && now - proc.memory.at < 1000) return proc.memory.mb;
  let mb = 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.child.pid}/status`, 'utf8'));
    if (m) mb = Math.ceil(Number(m[1]) / 1024);
  } catch {
    mb = proc.memory?.mb ?? 0;
  }
  proc.memory = { mb, at: now };
  return mb;
}
