/**
 * Two `shiftlab notebooks` runs at once on one machine must both succeed (they used to fail at kernel start with
 * "Invalid Signature"). Runs a throwaway one-cell notebook twice at the same moment through the CLI's own code path.
 * Skipped where Jupyter is not installed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { projectRoot } from "../assets/paths";
import { jupyterCommand } from "./run";

const jupyterMissing = spawnSync(jupyterCommand(), ["nbconvert", "--version"], { encoding: "utf8" }).status !== 0;

const scratchNotebook = {
  cells: [{ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: ["1 + 1"] }],
  metadata: { kernelspec: { name: "tslab", display_name: "TypeScript (shiftlab)", language: "typescript" } },
  nbformat: 4,
  nbformat_minor: 5,
};

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(projectRoot(), "bin", "shiftlab.js"), ...args], {
      cwd: projectRoot(),
      env,
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ code, output }));
  });
}

test(
  "two notebook runs at once (same notebook, same output folder) both succeed",
  { skip: jupyterMissing && "Jupyter is not installed", timeout: 300_000 },
  async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "notebook-concurrency-"));
    try {
      const notebook = path.join(dir, "scratch.ipynb");
      writeFileSync(notebook, JSON.stringify(scratchNotebook));
      const env = { ...process.env, SHIFTLAB_OUTPUT: path.join(dir, "output") };
      const runs = await Promise.all([runCli(["notebooks", notebook], env), runCli(["notebooks", notebook], env)]);
      for (const run of runs) assert.equal(run.code, 0, run.output);
      const executedCopy = path.join(dir, "output", "notebooks", "scratch.ipynb");
      assert.ok(existsSync(executedCopy), "the executed copy is written");
      const executed = JSON.parse(readFileSync(executedCopy, "utf8"));
      assert.equal(executed.cells.length, 1, "the completion cell is removed");
      const printed = executed.cells[0].outputs.map((o: { text?: string[] }) => (o.text ?? []).join("")).join("");
      assert.equal(printed.trim(), "2");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
