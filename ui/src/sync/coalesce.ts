// Work that callers share: the sync and the upload queue each run one at a
// time, and a call made while one runs asks for one more run after it
// (something changed meanwhile) rather than a second run beside it.

/**
 * coalesce wraps task: a call while it runs gets the run under way, and the
 * task runs once more after it if again(result) says so. done runs after
 * each call's work has ended.
 */
export function coalesce<T>(task: () => Promise<T>, again: (result: T) => boolean, done?: () => void): () => Promise<T> {
  let running: Promise<T> | null = null;
  let asked = false;
  return () => {
    if (running) {
      asked = true;
      return running;
    }
    running = (async () => {
      let result: T;
      do {
        asked = false;
        result = await task();
      } while (asked && again(result));
      return result;
    })().finally(() => {
      running = null;
      done?.();
    });
    return running;
  };
}
