// Preloaded (node --expose-gc --import) into a server under a memory measurement: on SIGUSR2 it
// collects garbage and writes one JSON line with the process's memory to stderr. It changes
// nothing else in the server.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  process.stderr.write(`${JSON.stringify({ benchMemory: { rss, heapUsed, heapTotal, external, arrayBuffers } })}\n`);
});
