/**
 * Rebuilds the preview's page as the sources change: one build at a time, a burst of saves debounced into one
 * build, a save during a build queued for right after it. Each build has a version (`<boot>.<n>`); open pages
 * are told the new version as soon as a build starts, and ask for the page again, which waits for that build.
 */
export class Rebuilder<T> {
  private generation = 0;
  private currentVersion: string;
  private latest: Promise<T>;
  private building: Promise<void> | undefined;
  private queued = false;
  private debounce: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly build: (version: string) => Promise<T>,
    private readonly options: {
      /** A short random id of this preview: versions differ across restarts. */
      boot: string;
      /** Quiet time after the last change before rebuilding, ms. */
      debounceMs: number;
      /** Told each new version as its build starts. */
      onVersion?: (version: string) => void;
      /** A silent run after the first build (V8 optimises code only after a run or two): the first save is fast. */
      warmUp?: () => Promise<unknown>;
    },
  ) {
    this.currentVersion = this.next();
    this.latest = build(this.currentVersion);
    const warmUp = options.warmUp;
    this.building = this.settle(
      this.latest.then(() => (this.closed || !warmUp ? undefined : warmUp().catch(() => undefined))),
    );
  }

  /** The version of the latest build started. */
  get version(): string {
    return this.currentVersion;
  }

  /** No change waits to be built: `current()` is the sources as they are. */
  get settled(): boolean {
    return this.debounce === undefined && !this.queued && !this.closed;
  }

  /** The latest build's result (waits for it). `build` must never reject. */
  current(): Promise<T> {
    return this.latest;
  }

  /** A source changed: rebuild once the changes stop for `debounceMs`. */
  changed(): void {
    if (this.closed) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.rebuild(), this.options.debounceMs);
  }

  /** Stops rebuilding; resolves when the build under way is done. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.debounce);
    await this.building;
  }

  private next(): string {
    this.generation += 1;
    return `${this.options.boot}.${this.generation}`;
  }

  private rebuild(): void {
    this.debounce = undefined;
    this.queued = this.building !== undefined;
    if (this.queued || this.closed) return;
    this.currentVersion = this.next();
    this.latest = this.build(this.currentVersion);
    this.options.onVersion?.(this.currentVersion);
    this.building = this.settle(this.latest);
  }

  /** Once a build is done, the next one if sources changed meanwhile: never two builds at once. */
  private settle(build: Promise<unknown>): Promise<void> {
    return build.then(() => {
      this.building = undefined;
      if (this.queued && !this.closed) this.rebuild();
    });
  }
}
