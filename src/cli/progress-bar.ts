/**
 * A one-line progress bar on stderr for long work (an epoch, an evaluation).
 * Draws only on a TTY, at most every 100 ms, so logs and pipes stay clean.
 */
export class ProgressBar {
  private last = 0;
  private drawn = false;
  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  /** Updates the bar to `done` of `total`, with an optional suffix such as the running loss. */
  update(done: number, suffix = ''): void {
    if (!this.stream.isTTY) return;
    const now = Date.now();
    if (now - this.last < 100 && done < this.total) return;
    this.last = now;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - this.label.length - suffix.length - 16));
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const filled = Math.round(frac * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    this.stream.write(`\r${this.label} ${bar} ${(frac * 100).toFixed(0).padStart(3)}% ${suffix}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the bar so the next line prints cleanly. */
  done(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
