/**
 * Where things live: the project root, the read-only assets folder (models/ and data/), and the ignored output and cache folders.
 *
 *   SHIFTLAB_ASSETS  folder holding models/ and data/ (CI: ../shared)
 *   SHIFTLAB_OUTPUT  figures, tables, executed notebooks (default <root>/output)
 *   SHIFTLAB_CACHE   downloads and other re-creatable files (default <root>/.cache)
 * (read through src/settings.ts)
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { setting } from "../settings";

const PACKAGE_NAME = "shiftlab";

function isProjectRoot(dir: string): boolean {
  const manifest = path.join(dir, "package.json");
  if (!existsSync(manifest)) return false;
  try {
    return JSON.parse(readFileSync(manifest, "utf8")).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

function findUpwards(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (isProjectRoot(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let cachedRoot: string | undefined;

/** The folder with our package.json, found from this file (or, in a notebook kernel where __dirname may differ, from the cwd). */
export function projectRoot(): string {
  if (cachedRoot === undefined) {
    const found = findUpwards(__dirname) ?? findUpwards(process.cwd());
    if (found === undefined) {
      throw new Error(`projectRoot: no package.json named "${PACKAGE_NAME}" above ${__dirname} or ${process.cwd()}`);
    }
    cachedRoot = found;
  }
  return cachedRoot;
}

function fromEnv(name: string): string | undefined {
  const value = setting(name);
  return value ? path.resolve(value) : undefined;
}

/** SHIFTLAB_ASSETS if set; else <root>/assets if it exists; else <root>/../shared if it exists; else <root>/assets. */
export function assetsRoot(): string {
  const fromVariable = fromEnv("SHIFTLAB_ASSETS");
  if (fromVariable !== undefined) return fromVariable;
  const root = projectRoot();
  const local = path.join(root, "assets");
  if (existsSync(local)) return local;
  const shared = path.resolve(root, "..", "shared");
  if (existsSync(shared)) return shared;
  return local;
}

export function outputRoot(): string {
  return fromEnv("SHIFTLAB_OUTPUT") ?? path.join(projectRoot(), "output");
}

export function cacheRoot(): string {
  return fromEnv("SHIFTLAB_CACHE") ?? path.join(projectRoot(), ".cache");
}
