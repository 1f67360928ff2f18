// A minimal writable store that follows Svelte's store contract
// (subscribe returns an unsubscribe function), so that components read it
// as $store while this package stays framework-free.

export type Subscriber<T> = (value: T) => void;

export interface Readable<T> {
  subscribe(run: Subscriber<T>): () => void;
}

export interface Writable<T> extends Readable<T> {
  get(): T;
  set(value: T): void;
  update(fn: (value: T) => T): void;
}

/** writable makes a store holding value. */
export function writable<T>(value: T): Writable<T> {
  const subscribers = new Set<Subscriber<T>>();
  const set = (v: T) => {
    value = v;
    for (const s of [...subscribers]) s(value);
  };
  return {
    subscribe(run) {
      subscribers.add(run);
      run(value);
      return () => subscribers.delete(run);
    },
    get: () => value,
    set,
    update: (fn) => set(fn(value)),
  };
}
