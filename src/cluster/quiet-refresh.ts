// Work run once now and again whenever a burst of events has gone quiet: never two runs at a time, and a burst that
// arrives during a run gets a run of its own after it (an HTTP worker's device rows, refreshed after re-rendering).

export class QuietRefresh {
  private run: (() => Promise<unknown>) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly quietMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /**
   * Sets the work and runs it once no event came for `firstQuietMs` (0: now); a burst that begins meanwhile postpones
   * it to its end, as schedule() does.
   */
  start(run: () => Promise<unknown>, firstQuietMs = 0): void {
    this.run = run;
    if (firstQuietMs <= 0) this.fire();
    else this.schedule(firstQuietMs);
  }

  /** An event of a burst: the work runs once no event came for quietMs (only after start). */
  schedule(quietMs = this.quietMs): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire();
    }, quietMs);
    this.timer.unref();
  }

  /** Resolves when no run is in progress (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private fire(): void {
    if (!this.run) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const run = this.run;
    this.running = (async () => {
      try {
        await run();
      } catch (err) {
        this.onError(err);
      }
    })().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.fire();
      }
    });
  }
}
