// What the tests of a file (or a describe block) share, made once before them and undone after.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Registers how to undo something just made; undone in an afterAll, the last made first. */
export type Cleanup = (undo: () => unknown) => void;

/**
 * Runs `make` in a beforeAll and returns what it made, to read in hooks and tests (not at load
 * time). `make` registers each thing's undoing with `cleanup` as it goes, so that whatever it
 * made is undone in the afterAll even when a later step of it failed.
 */
export function useBeforeAll<T extends object>(make: (cleanup: Cleanup) => Promise<T> | T, timeoutMs?: number): T {
  let made: T | undefined;
  const undos: (() => unknown)[] = [];
  beforeAll(async () => {
    made = await make((undo) => void undos.push(undo));
  }, timeoutMs);
  afterAll(async () => {
    for (const undo of undos.splice(0).reverse()) await undo();
  }, timeoutMs);
  return new Proxy({} as T, {
    get(_, key) {
      if (!made) throw new Error('made in beforeAll: use it in a hook or a test');
      return made[key as keyof T];
    },
  });
}

/**
 * A temp dir for the calling file's PostgreSQL data directories, made in a beforeAll; in the
 * afterAll, `release(root)` stops what still runs in it, then it is removed.
 */
export function useClusterDir(prefix: string, release: (root: string) => Promise<void>): { readonly root: string } {
  return useBeforeAll((cleanup) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    cleanup(() => fs.rmSync(root, { recursive: true, force: true }));
    cleanup(() => release(root));
    // As root a cluster runs as the postgres user, which must be able to enter it.
    fs.chmodSync(root, 0o755);
    return { root };
  });
}
