import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { ROOT, spawnServer, stop } from './lib.ts';
const kumo = await spawnServer(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'start', '--port', '0', '--log-level', 'warn']);
const agent = new Agent({ keepAlive: true, maxSockets: 16, noDelay: true });
const AUTH = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x';
function call(method: string, path: string, body?: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: AUTH };
    if (body) headers['content-length'] = body.length;
    const req = request(kumo.endpoint + path, { method, agent, headers }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode!)); });
    req.on('error', reject); req.end(body);
  });
}
await call('PUT', '/bench');
const KIB = Buffer.alloc(1024);
const which = process.argv[2] ?? 'all';
for (const [name, fn] of [['health', () => call('GET', '/health')], ['listbuckets', () => call('GET', '/')], ['put', (i: number) => call('PUT', `/bench/k${i % 100}`, KIB)], ['get', (i: number) => call('GET', `/bench/k${i % 100}`)], ['head', (i: number) => call('HEAD', `/bench/k${i % 100}`)]] as const) {
  if (which !== 'all' && which !== name) { for (let i = 0; i < 100; i++) await call('PUT', `/bench/k${i}`, KIB); continue; }
  let n = 0; const end = performance.now() + 3000;
  await Promise.all(Array.from({ length: 16 }, async () => { while (performance.now() < end) { await fn(n++); } }));
  console.log(name, Math.round(n / 3), 'req/s');
}
await stop(kumo.child);
agent.destroy();
