/** Edit distance and "closest known name" lookup for rename suggestions (keys, engines); bounded work, no domain data. */

// Inputs come from user files; capping the length keeps the quadratic table small on pathological strings.
const MAX_LENGTH = 200;

/** Levenshtein distance (insert, delete, substitute; case-sensitive). */
export function editDistance(a: string, b: string): number {
  const s = a.slice(0, MAX_LENGTH);
  const t = b.slice(0, MAX_LENGTH);
  if (s === t) return 0;
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[t.length] ?? 0;
}

/**
 * The candidate closest to `value` (compared case-insensitively, ties resolved by candidate order), or
 * undefined when none is within `maxDistance`. The default allows about a third of the word to differ, which
 * catches typos (`LOCATIONS`, `OPTION`) without proposing unrelated keys.
 */
export function closestMatch(
  value: string,
  candidates: readonly string[],
  maxDistance = Math.max(1, Math.floor(value.length / 3)),
): string | undefined {
  const v = value.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(v, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= maxDistance ? best : undefined;
}
