// Polls until a condition holds (or the time is up), for states that change in the background:
// a database coming back, a replica leaving or rejoining the rotation.

/** Calls `probe` every 250 ms until `done` accepts its value or `ms` pass; returns the last value (the caller asserts on it). */
export async function eventually<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}
