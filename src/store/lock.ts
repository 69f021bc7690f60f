/**
 * Who may talk to dynalite when: ordinary requests share the store, a transaction has it to itself.
 * A transaction is several dynalite calls (read, check, write, maybe undo); nothing else may run in
 * between, or a client could see half of it. First come, first served, so a stream of ordinary
 * requests cannot starve a waiting transaction. Callbacks, not promises: an ordinary request with
 * no transaction about (every request, for most APIs) enters synchronously.
 */
type Release = () => void;

interface Waiter {
  exclusive: boolean;
  enter: (release: Release) => void;
}

export class StoreLock {
  private sharers = 0;
  private exclusiveHeld = false;
  private readonly waiting: Waiter[] = [];

  /** Runs `enter` once no transaction runs or waits before it; call the release it gets when done. */
  shared(enter: (release: Release) => void): void {
    if (!this.exclusiveHeld && this.waiting.length === 0) {
      this.sharers++;
      enter(this.releaser(false));
    } else this.waiting.push({ exclusive: false, enter });
  }

  /** Runs `enter` once everything before it has released. */
  exclusive(enter: (release: Release) => void): void {
    if (!this.exclusiveHeld && this.sharers === 0 && this.waiting.length === 0) {
      this.exclusiveHeld = true;
      enter(this.releaser(true));
    } else this.waiting.push({ exclusive: true, enter });
  }

  private releaser(exclusive: boolean): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (exclusive) this.exclusiveHeld = false;
      else this.sharers--;
      this.admit();
    };
  }

  private admit(): void {
    while (this.waiting.length > 0 && !this.exclusiveHeld) {
      const next = this.waiting[0];
      if (next.exclusive) {
        if (this.sharers > 0) return;
        this.waiting.shift();
        this.exclusiveHeld = true;
        next.enter(this.releaser(true));
        return;
      }
      this.waiting.shift();
      this.sharers++;
      next.enter(this.releaser(false));
    }
  }
}
