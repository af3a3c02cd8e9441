/**
 * Chooses, by measurement, how many of an engine's started threads each step
 * uses. Two threads halve the GEMMs on an idle machine, but when another
 * process holds the second core the helper is descheduled and every barrier
 * waits for it: then one thread is faster. The governor times a few steps
 * each way, keeps the faster, and probes again every {@link REPROBE_STEPS}
 * steps, so a machine that gets busy (or quiet) mid-fit is followed.
 *
 * Results do not depend on the choice: rows and weight rows are split, never a
 * reduction, so 1 and 2 threads give the same weights.
 *
 * @example
 * ```ts
 * const g = new ThreadGovernor(2, true);
 * const n = g.next(); // threads for this step
 * g.record(n, ms);
 * ```
 */
export const PROBE_STEPS = 6;
export const REPROBE_STEPS = 300;

export class ThreadGovernor {
  private readonly max: number;
  private readonly adaptive: boolean;
  /** Thread counts of the coming steps; `timed` ones count in the next decision. */
  private queue: { threads: number; timed: boolean }[] = [];
  private times = new Map<number, number[]>();
  private chosen: number;
  private lastDecision: string;

  constructor(max: number, adaptive: boolean) {
    this.max = max;
    this.adaptive = adaptive && max > 1;
    this.chosen = max;
    this.lastDecision = this.adaptive ? `${max} threads until measured` : `${max} thread${max > 1 ? 's' : ''}, fixed`;
    if (this.adaptive) this.probe();
  }

  /** Threads the next step should use. */
  next(): number {
    if (!this.adaptive) return this.max;
    if (this.queue.length === 0) {
      this.decide();
      for (let i = 0; i < REPROBE_STEPS; i++) this.queue.push({ threads: this.chosen, timed: false });
      this.probe();
    }
    return this.queue[0].threads;
  }

  /** Records the wall time of the step just run with `threads` threads. */
  record(threads: number, ms: number): void {
    if (!this.adaptive) return;
    const entry = this.queue.shift();
    if (!entry?.timed) return;
    const list = this.times.get(threads) ?? [];
    list.push(ms);
    this.times.set(threads, list);
  }

  /** The latest decision and the step times it rests on, for reports. */
  get decision(): string {
    return this.lastDecision;
  }

  /**
   * Queues a probe: for the current count then the other, one untimed warm-up step and
   * PROBE_STEPS timed steps (the first steps of an engine run on all its threads).
   */
  private probe(): void {
    this.times.clear();
    for (const threads of [this.chosen, this.chosen === 1 ? this.max : 1]) {
      this.queue.push({ threads, timed: false });
      for (let i = 0; i < PROBE_STEPS; i++) this.queue.push({ threads, timed: true });
    }
  }

  private decide(): void {
    const median = (n: number) => {
      const t = [...(this.times.get(n) ?? [])].sort((a, b) => a - b);
      return t.length ? t[Math.floor(t.length / 2)] : Infinity;
    };
    const [one, many] = [median(1), median(this.max)];
    if (!Number.isFinite(one) || !Number.isFinite(many)) return;
    this.chosen = many < one ? this.max : 1;
    this.lastDecision = `${this.chosen} thread${this.chosen > 1 ? 's' : ''}: measured ${many.toFixed(3)} ms/step on ${this.max}, ${one.toFixed(3)} on 1`;
  }
}
