/**
 * The spool's size cap (pipeline.maxSpoolBytes): a batch bound for the spool waits while the spool
 * holds `maxBytes` or more, until replay frees room (roomMade) or shutdown lifts the cap (release).
 * Waiting here is the pipeline's back-pressure: the batch stays queued, so write() stops resolving.
 */
export class SpoolCap {
  private fullSince: number | undefined;
  private waiters: Array<() => void> = [];
  private released = false;
  /** times the spool filled up */
  waits = 0;

  constructor(
    readonly maxBytes: number,
    private readonly pendingBytes: () => number,
    /** called once per full spell (log it, make sure the replayer runs) */
    private readonly onFull: () => void,
  ) {}

  /** ISO time the current full spell began, null while there is room */
  get fullSinceIso(): string | null {
    return this.fullSince === undefined ? null : new Date(this.fullSince).toISOString();
  }

  async waitForRoom(): Promise<void> {
    // bounded: each pass waits for roomMade() or release(), and release() ends the loop
    while (!this.released && this.pendingBytes() >= this.maxBytes) {
      if (this.fullSince === undefined) {
        this.fullSince = Date.now();
        this.waits += 1;
        this.onFull();
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.fullSince = undefined;
  }

  /** replay acknowledged a record: waiting batches look again */
  roomMade(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** shutdown: the cap no longer holds anything back */
  release(): void {
    this.released = true;
    this.roomMade();
  }
}
