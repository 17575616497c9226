// Preloaded into a kumo child by reliability tests (NODE_OPTIONS=--expose-gc --require ...):
// on SIGUSR2, collect garbage fully and report the live heap, so a test can tell retained
// objects from memory V8 merely keeps committed.
process.on('SIGUSR2', () => {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  process.stderr.write(`HEAP-PROBE live=${m.heapUsed} external=${m.external} rss=${m.rss}\n`);
});
