/**
 * Work that may pause (issue #12): a generator that yields where a front end may answer requests before it goes
 * on. The result is the same however often it pauses; `finish` runs it to its end at once.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs paused work to its end. */
export function finish<T>(steps: Generator<unknown, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
