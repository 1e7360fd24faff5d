// The memory a server holds under load. Its live heap is about 50 MB, but V8 lets the old
// generation grow up to four times the live size before a full collection, and under a steady
// stream of requests (each allocating and promoting short-lived objects) the heap then sits at
// 150 MB with two thirds garbage: 300 MB of RSS. Growing by half the live size instead keeps it
// near 160-190 MB for no measurable CPU (docs/performance.md, "Memory"). The young generation
// is capped on the command line (`--max-semi-space-size`, package.json's start and the
// Dockerfile): V8 reads that flag only when it creates the heap.
import v8 from 'node:v8';

export function tuneHeap(growingPercent: number): void {
  // Read by V8 at every full collection, so setting it now applies from the next one on.
  if (growingPercent > 0) v8.setFlagsFromString(`--heap-growing-percent=${growingPercent}`);
}
