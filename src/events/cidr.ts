import { isIP } from 'node:net';
import { PatternError } from './pattern.ts';

/** `{"cidr": "10.0.0.0/24"}`: matches IPv4 or IPv6 address strings inside the block. */
export function cidrMatcher(block: string): (x: unknown) => boolean {
  const slash = block.indexOf('/');
  const base = slash < 0 ? block : block.slice(0, slash);
  const family = isIP(base);
  const width = family === 4 ? 32 : 128;
  const bits = slash < 0 ? width : Number(block.slice(slash + 1));
  if (!family || !Number.isInteger(bits) || bits < 0 || bits > width || (slash >= 0 && !/^\d+$/.test(block.slice(slash + 1)))) {
    throw new PatternError(`Malformed CIDR, one '/' required`);
  }
  const net = toBigInt(base, family);
  const shift = BigInt(width - bits);
  return (x) => typeof x === 'string' && isIP(x) === family && toBigInt(x, family) >> shift === net >> shift;
}

function toBigInt(addr: string, family: number): bigint {
  if (family === 4) return addr.split('.').reduce((n, o) => (n << 8n) | BigInt(Number(o)), 0n);
  let parts = addr.split('::');
  const head = parts[0] ? parts[0].split(':') : [];
  const tail = parts.length > 1 && parts[1] ? parts[1].split(':') : [];
  const last = tail.length ? tail : head;
  if (last.length && last[last.length - 1]!.includes('.')) {
    const v4 = toBigInt(last.pop()!, 4);
    last.push((v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16));
  }
  parts = [...head, ...Array(8 - head.length - tail.length).fill('0'), ...tail];
  return parts.reduce((n, h) => (n << 16n) | BigInt(parseInt(h || '0', 16)), 0n);
}
