import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Kumo } from '../../src/index.ts';
import { loadModel } from '../../src/protocol/models.ts';
import { SERVICE_LOADERS } from '../../src/services/registry.ts';
import { clientConfig, startTestKumo } from '../helpers/kumo.ts';
import { generate, prng, type Mode } from '../helpers/model-fuzz.ts';

/**
 * Model-driven fuzzing through the real SDK clients: for every operation of every registered
 * service, inputs generated from the model (valid, boundary, rule-breaking) and requests with
 * mutated bytes. kumo must answer every one with a non-5xx (501 NotImplemented aside) in the
 * protocol's shape, never crash, never hang. KUMO_FUZZ_SEED and KUMO_FUZZ_ROUNDS
 * (1 in npm test; the bench runs many) make runs reproducible and longer.
 */
const SEED = Number(process.env.KUMO_FUZZ_SEED ?? 1);
const ROUNDS = Number(process.env.KUMO_FUZZ_ROUNDS ?? 1);
const PACKAGES: Record<string, string> = {
  sqs: '@aws-sdk/client-sqs', dynamodb: '@aws-sdk/client-dynamodb', dynamodbstreams: '@aws-sdk/client-dynamodb-streams',
  s3: '@aws-sdk/client-s3', lambda: '@aws-sdk/client-lambda', sts: '@aws-sdk/client-sts', iam: '@aws-sdk/client-iam',
  kms: '@aws-sdk/client-kms', secretsmanager: '@aws-sdk/client-secrets-manager', ssm: '@aws-sdk/client-ssm',
  sns: '@aws-sdk/client-sns', events: '@aws-sdk/client-eventbridge', scheduler: '@aws-sdk/client-scheduler',
  logs: '@aws-sdk/client-cloudwatch-logs', cloudwatch: '@aws-sdk/client-cloudwatch',
};

/** Flips a few bytes of serialized bodies before they are sent. */
class MutatingHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  constructor(private readonly inner: NodeHttpHandler, private readonly rnd: () => number) {}
  handle(request: any, options?: any) {
    const body = request.body;
    if (typeof body === 'string' || body instanceof Uint8Array) {
      const bytes = Buffer.from(body as never);
      for (let i = 0, n = 1 + Math.floor(this.rnd() * 4); i < n && bytes.length > 0; i++) {
        bytes[Math.floor(this.rnd() * bytes.length)] = Math.floor(this.rnd() * 256);
      }
      request.body = bytes;
      request.headers['content-length'] = String(bytes.length);
    }
    return this.inner.handle(request, options);
  }
  updateHttpClientConfig() {}
  httpHandlerConfigs() {
    return {};
  }
  destroy() {
    this.inner.destroy();
  }
}

let kumo: Kumo;
before(async () => {
  kumo = await startTestKumo({ seed: `fuzz-${SEED}` });
});
after(() => kumo.stop());

for (const service of Object.keys(SERVICE_LOADERS).sort()) {
  const pkg = PACKAGES[service];
  test(`fuzz ${service}`, { skip: pkg ? false : `no SDK client mapped for ${service}` }, async (t) => {
    const sdk = (await import(pkg!)) as Record<string, any>;
    const ClientClass = Object.entries(sdk).find(([k, v]) => k.endsWith('Client') && !k.startsWith('_') && typeof v === 'function')![1];
    const model = loadModel(service);
    const rnd = prng(SEED * 7919 + service.length);
    const plain = new NodeHttpHandler({ requestTimeout: 15_000 });
    const base = { ...clientConfig(kumo.endpoint), forcePathStyle: true };
    const client = new ClientClass({ ...base, requestHandler: plain });
    const mutating = new ClientClass({ ...base, requestHandler: new MutatingHandler(new NodeHttpHandler({ requestTimeout: 15_000 }), rnd) });
    const failures: string[] = [];
    let sent = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, op] of Object.entries(model.operations).sort(([a], [b]) => a.localeCompare(b))) {
        const Command = sdk[`${name}Command`];
        if (!Command || !op.input) continue;
        const plans: Array<[Mode, boolean]> = [['valid', false], ['boundary', false], ['wild', false], ['wild', false], ['valid', true]];
        for (const [mode, mutate] of plans) {
          const input = generate(model, op.input, rnd, mode);
          try {
            await (mutate ? mutating : client).send(new Command(input));
            sent++;
          } catch (err: any) {
            const status = err?.$metadata?.httpStatusCode;
            if (status === undefined) {
              if (/ECONNRESET|socket hang up|ECONNREFUSED|timed? ?out|EPIPE/i.test(String(err?.message ?? err) + (err?.code ?? ''))) {
                failures.push(`${name} [${mode}${mutate ? ', mutated' : ''}]: network failure ${err?.code ?? ''} ${err?.message} input=${JSON.stringify(input).slice(0, 400)}`);
              }
              continue;
            }
            sent++;
            if (status >= 500 && status !== 501) failures.push(`${name} [${mode}${mutate ? ', mutated' : ''}]: ${status} ${err.name}: ${err.message}`);
          }
        }
      }
    }
    client.destroy();
    mutating.destroy();
    t.diagnostic(`${sent} requests answered`);
    assert.deepEqual(failures, [], `${failures.length} of ${sent} requests failed`);
    const health = await fetch(`${kumo.endpoint}/health`);
    assert.equal(health.status, 200, 'kumo still serves');
  });
}
