// Peer: s3rver. It only stores on a filesystem: a temp dir on tmpfs (/dev/shm) when the
// machine has one keeps it in memory like kumo. SigV4 signatures are not checked by s3rver;
// the access key must be its default S3RVER.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

const directory = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'kumo-bench-s3rver-'));
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, allowMismatchedSignatures: true });
const { port } = await server.run();
process.stdout.write(`ready endpoint=http://127.0.0.1:${port}\n`);
process.on('SIGTERM', async () => {
  await server.close();
  rmSync(directory, { recursive: true, force: true });
  process.exit(0);
});
