/** A function invocation's log as Lambda writes it, capped so a chatty function cannot grow kumo. */

const CAP = 1024 * 1024;

export class LogBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;

  append(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > CAP && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length;
      this.dropped = true;
    }
  }

  appendText(text: string): void {
    if (text) this.append(Buffer.from(text, 'utf8'));
  }

  text(): string {
    const s = Buffer.concat(this.chunks).toString('utf8');
    return this.dropped ? `[kumo: earlier output dropped]\n${s}` : s;
  }
}

/** `REPORT RequestId: ...\tDuration: 1.23 ms\tBilled Duration: 2 ms\t...` with AWS's trailing tab. */
export function reportLine(requestId: string, durationMs: number, memoryMb: number, maxUsedMb: number, initMs: number | undefined, status?: 'timeout' | 'error'): string {
  const parts = [
    `REPORT RequestId: ${requestId}`,
    `Duration: ${durationMs.toFixed(2)} ms`,
    `Billed Duration: ${Math.max(1, Math.ceil(durationMs + (initMs ?? 0)))} ms`,
    `Memory Size: ${memoryMb} MB`,
    `Max Memory Used: ${maxUsedMb} MB`,
  ];
  if (initMs !== undefined) parts.push(`Init Duration: ${initMs.toFixed(2)} ms`);
  if (status) parts.push(`Status: ${status}`);
  return parts.join('\t') + '\t\n';
}

/** `LogType: Tail`: the last 4 KB of the log, base64. */
export function logTail(log: string): string {
  const buf = Buffer.from(log, 'utf8');
  return buf.subarray(Math.max(0, buf.length - 4096)).toString('base64');
}
