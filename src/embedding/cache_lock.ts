/**
 * The embedding cache's write lock: one writer per cache folder at a time, across processes (two notebook runs, a notebook and
 * a CLI command). The lock file holds the writer's process id, so a lock left by a process that died is taken over.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const LOCK_PATIENCE_MS = 120_000;

/** Run `work` holding <folder>/write.lock (created exclusively; taken over when the process that holds it is gone). */
export function withWriteLock<T>(folder: string, work: () => T): T {
  const lock = join(folder, "write.lock");
  const deadline = Date.now() + LOCK_PATIENCE_MS;
  for (;;) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (lockHolderIsGone(lock)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `embedding cache: ${lock} has been held for ${LOCK_PATIENCE_MS / 1000} s by another process; delete it if no shiftlab run is writing`,
        );
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // a short synchronous sleep
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}

function lockHolderIsGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, "utf8").trim());
  } catch {
    return false; // removed meanwhile: try again
  }
  if (!Number.isInteger(pid) || pid <= 0) {
    // being written right now, or left empty by a crash: stale only once it is old
    try {
      return Date.now() - statSync(lock).mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}
