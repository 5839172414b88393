import { test } from "node:test";
import assert from "node:assert/strict";
import { failuresOf, findNotebooks } from "./run";
import { verdictSentence } from "./verdict";

test("failures are read back from an executed notebook, with tslab's stderr message", () => {
  const executed = {
    cells: [
      { cell_type: "markdown", source: "# title" },
      { cell_type: "code", source: "const a = 1;", outputs: [{ output_type: "stream", name: "stdout", text: "1\n" }] },
      {
        cell_type: "code",
        source: ["await boom()\n", "// second line"],
        outputs: [
          { output_type: "stream", name: "stderr", text: ["Error: model folder /x has no config.json\n"] },
          { output_type: "error", ename: "Error", evalue: "", traceback: ["\u001b[31mat boom\u001b[0m"] },
        ],
      },
    ],
  };
  const failures = failuresOf(executed);
  assert.equal(failures.length, 1);
  assert.equal(failures[0].cell, 2);
  assert.match(failures[0].message, /model folder \/x has no config\.json/);
  assert.match(failures[0].message, /at boom/);
  assert.doesNotMatch(failures[0].message, /\u001b/);
});

test("notebooks are found by number prefix or name, and an unknown name lists what exists", () => {
  const all = findNotebooks([]);
  assert.ok(all.length >= 1 && all.every((f) => f.endsWith(".ipynb")));
  assert.match(findNotebooks(["00"])[0], /00_quickstart\.ipynb$/);
  assert.match(findNotebooks(["00_quickstart.ipynb"])[0], /00_quickstart\.ipynb$/);
  assert.throws(() => findNotebooks(["99_nothing"]), /no notebook .* matches "99_nothing"; available: 00_quickstart\.ipynb/);
});

test("verdict sentence states result, paper value and criterion", () => {
  const s = verdictSentence({ claim: "Spearman rho(Disp, C_mean)", measured: 0.81234, paper: 0.8838, criterion: "rho > 0.5", held: true });
  assert.equal(s, "HELD here — Spearman rho(Disp, C_mean): measured 0.8123 (paper: 0.8838); criterion: rho > 0.5.");
});
