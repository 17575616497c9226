import type { ProtocolName } from './model-types.ts';
import type { ProtocolCodec } from './types.ts';

/** Codecs load on first use: a kumo that only serves JSON services never parses XML. */
const LOADERS: Record<ProtocolName, () => Promise<ProtocolCodec>> = {
  query: async () => (await import('./query.ts')).queryCodec,
  ec2: async () => (await import('./ec2.ts')).ec2Codec,
  json: async () => (await import('./json.ts')).jsonCodec,
  'rest-json': async () => (await import('./rest-json.ts')).restJsonCodec,
  'rest-xml': async () => (await import('./rest-xml.ts')).restXmlCodec,
  'smithy-rpc-v2-cbor': async () => (await import('./cbor.ts')).cborCodec,
};

const cache = new Map<ProtocolName, ProtocolCodec>();

/** The codec if it is loaded already: the request path skips a promise. */
export function loadedCodec(name: ProtocolName): ProtocolCodec | undefined {
  return cache.get(name);
}

export async function codecFor(name: ProtocolName): Promise<ProtocolCodec> {
  let codec = cache.get(name);
  if (!codec) {
    codec = await LOADERS[name]();
    cache.set(name, codec);
  }
  return codec;
}
