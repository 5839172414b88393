/**
 * One JSON reader for configuration and manifest files: every error names the file and what it was read for, so a broken
 * checkpoint or manifest is found at once.
 */
import { existsSync, readFileSync } from "node:fs";

/** The parsed content of a JSON file; `what` says what the file is ("the asset manifest", "model config"). */
export function readJsonFile(file: string, what: string): unknown {
  if (!existsSync(file)) throw new Error(`${file}: missing (${what})`);
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${what}: ${(error as Error).message})`);
  }
}

/** readJsonFile for a file that must hold a JSON object. */
export function readJsonObject(file: string, what: string): Record<string, unknown> {
  const parsed = readJsonFile(file, what);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(`${file}: expected a JSON object (${what})`);
  return parsed as Record<string, unknown>;
}
