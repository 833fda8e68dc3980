/** Runs async tasks one at a time, in call order (the spool's files have one writer and one reader). */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // the chain continues whether or not this task failed; callers see its own outcome
    this.tail = result.catch(() => undefined);
    return result;
  }
}
