/** Session ids become file and folder names: nothing that could climb out of the data folder. */
export const SAFE_SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Runs tasks one at a time per key, in arrival order, and different keys in parallel: a session's
 * journal is never written by two steps at once. A failed task does not stop the ones behind it.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, settled);
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return next;
  }

  /** Resolves once every task queued so far has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}
