// A minimal single-consumer async queue: producers push, one `for await` consumes, in order.

export class AsyncQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private head = 0;
  private waiting: { resolve: (step: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;
  private closed = false;
  private error: unknown = null;

  push(item: T): void {
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  close(): void {
    this.closed = true;
    if (this.waiting && this.size() === 0) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
  }

  fail(error: unknown): void {
    this.error = error ?? new Error('queue failed');
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(this.error);
    }
  }

  size(): number {
    return this.items.length - this.head;
  }

  private shift(): T {
    const item = this.items[this.head++]!;
    // Drop consumed items now and then, so a long run does not keep them all.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.size() > 0) return Promise.resolve({ value: this.shift(), done: false });
        if (this.error) return Promise.reject(this.error);
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = { resolve, reject };
        });
      },
    };
  }
}
