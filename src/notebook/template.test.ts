import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "../assets/paths";
import { executeNotebook } from "./run";
import { checkNotebookName, notebookTemplate } from "./template";

const temp = mkdtempSync(path.join(os.tmpdir(), "shiftlab-new-"));
after(() => rmSync(temp, { recursive: true, force: true }));
const bin = path.join(projectRoot(), "bin", "shiftlab.js");
const shiftlab = (args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: projectRoot() });

test("the template is nbformat 4.5 with unique cell ids, the project kernel and a stated criterion", () => {
  const nb = notebookTemplate("11_my_corpus") as {
    cells: { id: string; cell_type: string; source: string[] }[];
    metadata: { kernelspec: { name: string } };
    nbformat: number;
    nbformat_minor: number;
  };
  assert.deepEqual([nb.nbformat, nb.nbformat_minor, nb.metadata.kernelspec.name], [4, 5, "tslab"]);
  const ids = nb.cells.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => /^[a-zA-Z0-9_-]{1,64}$/.test(id)));
  const text = nb.cells.map((c) => c.source.join("")).join("\n");
  assert.match(text, /startNotebook\("11_my_corpus"\)/);
  assert.match(text, /\*\*Criterion \(stated before the numbers\):\*\*/);
  assert.match(text, /saveFigure\(/);
  assert.match(text, /reportVerdicts\(/);
  assert.throws(() => checkNotebookName("../evil"), /use letters, digits/);
  assert.equal(checkNotebookName("12_x.ipynb"), "12_x");
});

test("shiftlab new writes the notebook, says how to run it, and refuses to overwrite", () => {
  const made = shiftlab(["new", "11_my_corpus", "--dir", temp]);
  assert.equal(made.status, 0, made.stderr);
  const file = path.join(temp, "11_my_corpus.ipynb");
  assert.match(
    made.stdout,
    new RegExp(
      `wrote ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\nrun it headless: npx shiftlab notebooks ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} --scale small`,
    ),
  );
  assert.deepEqual(
    JSON.parse(readFileSync(file, "utf8")),
    JSON.parse(JSON.stringify(notebookTemplate("11_my_corpus"))),
  );
  const again = shiftlab(["new", "11_my_corpus", "--dir", temp]);
  assert.notEqual(again.status, 0);
  assert.match(again.stderr, /exists; choose another name or pass --force/);
  assert.notEqual(shiftlab(["new"]).status, 0);
});

test("a notebook made by shiftlab new executes headless at the small scale and reaches its verdict", () => {
  const file = path.join(temp, "11_my_corpus.ipynb");
  if (!require("node:fs").existsSync(file)) shiftlab(["new", "11_my_corpus", "--dir", temp]);
  const run = executeNotebook(file, { scale: "small", outputDir: path.join(temp, "executed") });
  assert.deepEqual(run.failures, []);
  const executed = readFileSync(run.executedCopy, "utf8");
  assert.match(executed, /Spearman ρ = -?[\d.]+ \[-?[\d.]+, -?[\d.]+\] over \d+ texts/);
  assert.match(executed, /(HELD|DID NOT HOLD) here — Higher Shift, further from the own sentences/);
});
