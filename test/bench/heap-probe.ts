/**
 * Preloaded into the language server by the bench only (`node -r out/test/bench/heap-probe.js`): on SIGUSR2 it
 * runs a full garbage collection and writes the heap figures to $DSL_HEAP_PROBE_FILE, so the bench can tell
 * live memory (what caches hold) from the slack V8 keeps committed; on SIGWINCH it writes the heap as it is,
 * without collecting, to $DSL_HEAP_PROBE_FILE.now (what the resident memory measured at that moment holds).
 * Never part of the product.
 */
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const out = process.env['DSL_HEAP_PROBE_FILE'];
if (out) {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  process.on('SIGUSR2', () => {
    gc();
    const m = process.memoryUsage();
    fs.writeFileSync(out, JSON.stringify({ heapUsed: m.heapUsed, heapTotal: m.heapTotal, rss: m.rss }));
  });
  process.on('SIGWINCH', () => {
    const h = v8.getHeapStatistics();
    fs.writeFileSync(
      `${out}.now`,
      JSON.stringify({ used: h.used_heap_size, committed: h.total_physical_size }),
    );
  });
}
