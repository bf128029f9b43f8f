// The error a call throws, when the test is about that error.

/** Runs fn and returns the `type` error it throws (fails the test if it throws nothing or something else). */
export function thrown<E extends Error>(type: new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (e) {
    if (e instanceof type) return e;
    throw e;
  }
  throw new Error(`expected a ${type.name}`);
}
