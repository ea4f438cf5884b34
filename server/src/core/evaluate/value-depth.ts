/**
 * How deep the recursive walkers of values go (issue #9): a value built by re-assignment (`A = [A]` ×n) can be
 * as deep as the file is long; every walker stops at MAX_WALK_DEPTH with a conservative answer.
 */
export const MAX_WALK_DEPTH = 400;

/** Longest string or list an operator or method may build; beyond it the result is Unknown (bounded work). */
export const MAX_BUILT_LENGTH = 100_000;
