/** A one-line progress indicator for long runs on a terminal: stderr only, shown once a run has taken a second. */

/** Runs shorter than this show nothing. */
export const PROGRESS_AFTER_MS = 1000;
/** Environment variable that sets another delay in ms (for tests: a terminal test need not run for a second). */
export const PROGRESS_AFTER_ENV = 'DJANGO_SESSION_LINT_PROGRESS_AFTER_MS';

/** The delay the environment asks for, else PROGRESS_AFTER_MS. */
export function progressAfter(env: Readonly<Record<string, string | undefined>>): number {
  const value = env[PROGRESS_AFTER_ENV];
  const ms = value !== undefined && /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(ms) ? ms : PROGRESS_AFTER_MS;
}
/** The line is rewritten at most this often. */
const REDRAW_MS = 100;

export class Progress {
  private lastDraw = -Infinity;
  private drawn = false;

  /**
   * @param write where the line goes (stderr); nothing is written when `enabled` is false (stderr is not a
   *   terminal, or --quiet)
   * @param started when the run started (clock time)
   */
  constructor(
    private readonly write: (text: string) => void,
    private readonly enabled: boolean,
    private readonly started: number,
    private readonly clock: () => number,
    private readonly after = PROGRESS_AFTER_MS,
  ) {}

  /** `done` of `total` items (`what`: e.g. "projects") are finished. */
  update(done: number, total: number, what: string): void {
    if (!this.enabled) return;
    const now = this.clock();
    if (now - this.started < this.after || now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.drawn = true;
    // \r and erase-to-end-of-line: the line is rewritten in place.
    this.write(`\r\x1b[Kanalysing ${what}: ${done}/${total}`);
  }

  /** Removes the line, if one was drawn, so the report starts on a clean line. */
  clear(): void {
    if (!this.drawn) return;
    this.drawn = false;
    this.write('\r\x1b[K');
  }
}
