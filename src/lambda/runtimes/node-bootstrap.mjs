// kumo's runtime client for nodejs* functions: loads the handler named by _HANDLER from
// LAMBDA_TASK_ROOT (CommonJS or ESM), then loops on the Lambda Runtime API: fetch an event,
// run the handler (async or callback style), post the result or the error. Plain JavaScript:
// it runs in the function's process, not in kumo.
import { createRequire, register } from 'node:module';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import util from 'node:util';

const api = process.env.AWS_LAMBDA_RUNTIME_API;
const slash = api.indexOf('/');
const hostPort = slash < 0 ? api : api.slice(0, slash);
const prefix = slash < 0 ? '' : api.slice(slash);
const colon = hostPort.lastIndexOf(':');
const host = hostPort.slice(0, colon);
const port = Number(hostPort.slice(colon + 1));
const taskRoot = process.env.LAMBDA_TASK_ROOT;
const handlerName = process.env._HANDLER ?? '';

// ESM ignores NODE_PATH: resolve bare specifiers the project does not have from it, as the
// SDK bundled with AWS's runtimes is found.
const searchPaths = (process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean);
if (searchPaths.length) register('./node-resolve-hook.mjs', import.meta.url, { data: { paths: searchPaths } });

// One keep-alive connection, one request at a time, speaking just the HTTP/1.1 that kumo's
// Runtime API server answers with (Content-Length bodies): node's http client costs more CPU
// per invocation than the handler of a small function.
let socket;
let inbox = Buffer.alloc(0);
/** Requests written and not yet answered, oldest first (kumo answers in order). */
const pending = [];

// kumo serves the same API on a Unix socket, cheaper per message than loopback TCP.
const socketPath = process.env.KUMO_RUNTIME_API_SOCKET;

function connect() {
  socket = socketPath ? net.connect({ path: socketPath }) : net.connect({ host, port, noDelay: true });
  socket.on('data', (chunk) => {
    inbox = inbox.length ? Buffer.concat([inbox, chunk]) : chunk;
    parseResponse();
  });
  const fail = (err) => {
    socket = undefined;
    for (const p of pending.splice(0)) p.reject(err ?? new Error('Runtime API connection closed'));
  };
  socket.on('error', fail);
  socket.on('close', () => fail());
}

function parseResponse() {
  while (pending.length && parseOne());
}

function parseOne() {
  const end = inbox.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const lines = inbox.toString('latin1', 0, end).split('\r\n');
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon > 0) headers[lines[i].slice(0, colon).trim().toLowerCase()] = lines[i].slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  if (inbox.length < end + 4 + length) return false;
  const body = inbox.subarray(end + 4, end + 4 + length);
  inbox = inbox.subarray(end + 4 + length);
  pending.shift().resolve({ status: Number(lines[0].split(' ')[1]), headers, body });
  return true;
}

function call(method, route, body, headers) {
  if (!socket) connect();
  let head = `${method} ${prefix}/2018-06-01/runtime/${route} HTTP/1.1\r\nHost: ${hostPort}\r\nContent-Length: ${body === undefined ? 0 : Buffer.byteLength(body)}\r\n`;
  if (headers) for (const k in headers) head += `${k}: ${headers[k]}\r\n`;
  return new Promise((resolve, reject) => {
    pending.push({ resolve, reject });
    // Bodies are JSON strings: one string, one write, no intermediate buffers.
    socket.write(body === undefined ? `${head}\r\n` : `${head}\r\n${body}`);
  });
}

/**
 * Posts an invocation's outcome and asks for the next event in the same breath (pipelined on
 * the one connection): the process wakes once per invocation instead of twice.
 */
function report(route, body, headers) {
  if (!socket) connect();
  socket.cork();
  const posted = call('POST', route, body, headers);
  const following = call('GET', 'invocation/next');
  socket.uncork();
  return posted.then(() => following);
}

const JSON_BODY = { 'content-type': 'application/json' };

let currentRequestId;

function patchConsole() {
  const write = (level) => (...args) => {
    const line = `${new Date().toISOString()}\t${currentRequestId ?? 'undefined'}\t${level}\t${util.format(...args)}\n`;
    process.stdout.write(line);
  };
  console.log = write('INFO');
  console.info = write('INFO');
  console.warn = write('WARN');
  console.error = write('ERROR');
  console.debug = write('DEBUG');
  console.trace = (...args) => write('TRACE')(util.format(...args) + '\n' + new Error().stack.split('\n').slice(2).join('\n'));
}

function errorPayload(err, typeOverride) {
  if (err instanceof Error) {
    const errorType = typeOverride ?? err.name ?? 'Error';
    return { errorType, errorMessage: err.message, trace: (err.stack ?? '').split('\n') };
  }
  if (typeof err === 'object' && err !== null) {
    return { errorType: typeOverride ?? 'object', errorMessage: JSON.stringify(err), trace: [] };
  }
  return { errorType: typeOverride ?? typeof err, errorMessage: String(err), trace: [] };
}

class HandlerError extends Error {
  constructor(type, message) {
    super(message);
    this.name = type;
  }
}

async function loadModule(modulePath) {
  const base = path.resolve(taskRoot, modulePath);
  for (const ext of ['.js', '.mjs', '.cjs']) {
    const file = base + ext;
    if (!existsSync(file)) continue;
    if (ext !== '.mjs') {
      try {
        return createRequire(file)(file);
      } catch (err) {
        if (err?.code !== 'ERR_REQUIRE_ESM' && err?.code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
      }
    }
    return import(pathToFileURL(file).href);
  }
  throw new HandlerError('Runtime.ImportModuleError', `Error: Cannot find module '${path.basename(modulePath)}'\nRequire stack:\n- /var/runtime/index.mjs`);
}

async function loadHandler() {
  const dir = path.dirname(handlerName);
  const base = path.basename(handlerName);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) throw new HandlerError('Runtime.MalformedHandlerName', "Bad handler");
  const moduleName = path.join(dir, base.slice(0, dot));
  const fnPath = base.slice(dot + 1).split('.');
  let mod;
  try {
    mod = await loadModule(moduleName);
  } catch (err) {
    if (err instanceof HandlerError) throw err;
    if (err instanceof SyntaxError) throw new HandlerError('Runtime.UserCodeSyntaxError', `${err.name}: ${err.message}`);
    if (err?.code === 'MODULE_NOT_FOUND' || err?.code === 'ERR_MODULE_NOT_FOUND') {
      throw new HandlerError('Runtime.ImportModuleError', `Error: ${err.message}`);
    }
    throw err;
  }
  let fn = mod;
  for (const key of fnPath) fn = fn?.[key] ?? (fn?.default && typeof fn.default === 'object' ? fn.default[key] : undefined);
  if (typeof fn !== 'function') throw new HandlerError('Runtime.HandlerNotFound', `${path.basename(handlerName)} is undefined or not exported`);
  return fn;
}

function makeContext(headers, finish) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  const clientContext = headers['lambda-runtime-client-context'];
  const identity = headers['lambda-runtime-cognito-identity'];
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: identity ? JSON.parse(identity) : undefined,
    clientContext: clientContext ? JSON.parse(clientContext) : undefined,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (err, result) => finish(err, result),
    succeed: (result) => finish(null, result),
    fail: (err) => finish(err ?? 'handled'),
  };
}

// Callback-style handlers that never call back end with null once their work is done, as in
// AWS (callbackWaitsForEmptyEventLoop): the event loop running dry is that moment.
let onEmptyLoop;
process.on('beforeExit', () => onEmptyLoop?.());

function runHandler(handler, event, headers) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (err, result) => {
      if (settled) return;
      settled = true;
      onEmptyLoop = undefined;
      resolve(err !== undefined && err !== null ? { error: err } : { result });
    };
    onEmptyLoop = () => finish(null, undefined);
    const context = makeContext(headers, finish);
    try {
      const out = handler(event, context, finish);
      if (out && typeof out.then === 'function') {
        // A promise that can never settle (nothing left to run) ends the runtime, as in AWS.
        onEmptyLoop = () => finish(new HandlerError('Runtime.NodeJsExit', 'Error: Runtime exited without providing a reason'));
        out.then((r) => finish(null, r), (e) => finish(e ?? new Error('Promise rejected')));
      } else if (handler.length < 3 && out !== undefined) finish(null, out);
    } catch (err) {
      finish(err);
    }
  });
}

async function main() {
  patchConsole();
  process.on('uncaughtException', (err) => crash(err));
  process.on('unhandledRejection', (err) => crash(err));
  let handler;
  try {
    handler = await loadHandler();
  } catch (err) {
    const payload = errorPayload(err);
    console.error(JSON.stringify(payload));
    await call('POST', 'init/error', JSON.stringify(payload), { 'content-type': 'application/json', 'lambda-runtime-function-error-type': payload.errorType });
    process.exit(1);
  }
  let upcoming = call('GET', 'invocation/next');
  for (;;) {
    const next = await upcoming;
    const id = next.headers['lambda-runtime-aws-request-id'];
    currentRequestId = id;
    if (next.headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
    else delete process.env._X_AMZN_TRACE_ID;
    let event;
    try {
      event = JSON.parse(next.body.toString('utf8') || 'null');
    } catch {
      const payload = { errorType: 'Runtime.UnmarshalError', errorMessage: `Unable to parse event: ${next.body.toString('utf8').slice(0, 200)}`, trace: [] };
      upcoming = report(`invocation/${id}/error`, JSON.stringify(payload), { 'content-type': 'application/json', 'lambda-runtime-function-error-type': payload.errorType });
      continue;
    }
    const outcome = await runHandler(handler, event, next.headers);
    if ('error' in outcome) {
      const payload = errorPayload(outcome.error);
      console.error(`Invoke Error \t${JSON.stringify(payload)}`);
      upcoming = report(`invocation/${id}/error`, JSON.stringify(payload), { 'content-type': 'application/json', 'lambda-runtime-function-error-type': payload.errorType });
    } else {
      let body;
      try {
        body = JSON.stringify(outcome.result === undefined ? null : outcome.result);
      } catch (err) {
        const payload = errorPayload(err, 'Runtime.SerializationError');
        upcoming = report(`invocation/${id}/error`, JSON.stringify(payload), { 'content-type': 'application/json' });
        continue;
      }
      upcoming = report(`invocation/${id}/response`, body, JSON_BODY);
    }
  }
}

// An exception outside the handler's promise ends the process, as in AWS; the invocation
// reports the error first.
async function crash(err) {
  const payload = errorPayload(err);
  console.error(`Uncaught Exception \t${JSON.stringify(payload)}`);
  // A connection busy with another request belongs to no invocation the error could end.
  if (currentRequestId && pending.length === 0) {
    await call('POST', `invocation/${currentRequestId}/error`, JSON.stringify(payload), { 'content-type': 'application/json', 'lambda-runtime-function-error-type': payload.errorType }).catch(() => undefined);
  }
  process.exit(129);
}

main().catch((err) => {
  process.stderr.write(`kumo runtime client failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
