// Where the files the server reads beside its code live (the schema, the migrations, the built
// browser pages): the project's root, the nearest folder above this module that holds
// package.json. Found rather than written as '../..' so that the same code works run from
// src/ by tsx (`npm start`) and compiled into dist/src/ (`npm run start:prod`).
import fs from 'node:fs';
import path from 'node:path';

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PROJECT_ROOT = projectRoot(__dirname);

/** `segments` under the project's root. */
export const fromRoot = (...segments: string[]): string => path.join(PROJECT_ROOT, ...segments);
