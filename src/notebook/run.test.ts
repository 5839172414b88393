import { test } from "node:test";
import assert from "node:assert/strict";
import { COMPLETION_MARK, failuresOf, findNotebooks } from "./run";
import { verdictSentence, verdictSummary } from "./verdict";

const stdout = (text: string) => ({ output_type: "stream", name: "stdout", text });
const stderr = (text: string | string[]) => ({ output_type: "stream", name: "stderr", text });
const completion = (ran: boolean) => ({
  cell_type: "code",
  source: "console.log(...)",
  outputs: ran ? [stdout(`${COMPLETION_MARK}\n`)] : [],
});

test("a notebook whose completion cell printed its mark has no failures, even with stderr output on the way", () => {
  const executed = {
    cells: [
      { cell_type: "code", source: "progress()", outputs: [stderr("embedding 100/200\n")] },
      { cell_type: "code", source: "x", outputs: [] },
      completion(true),
    ],
  };
  assert.deepEqual(failuresOf(executed), []);
});

test("an exception: the last cell with output is the failing one, with tslab's stderr message and no ANSI codes", () => {
  const executed = {
    cells: [
      { cell_type: "markdown", source: "# title" },
      { cell_type: "code", source: "const a = 1;", outputs: [stdout("1\n")] },
      {
        cell_type: "code",
        source: ["await boom()\n", "// second line"],
        outputs: [
          stderr(["Error: model folder /x has no config.json\n"]),
          { output_type: "error", ename: "Error", evalue: "", traceback: ["\u001b[31mat boom\u001b[0m"] },
        ],
      },
      { cell_type: "code", source: "never()", outputs: [] },
      completion(false),
    ],
  };
  const failures = failuresOf(executed);
  assert.equal(failures.length, 1);
  assert.equal(failures[0].cell, 2);
  assert.match(failures[0].message, /model folder \/x has no config\.json/);
  assert.match(failures[0].message, /at boom/);
  assert.doesNotMatch(failures[0].message, /\u001b/);
});

test("a compile error in the last notebook cell is still caught (by the completion cell)", () => {
  const executed = {
    cells: [
      { cell_type: "code", source: "ok()", outputs: [stdout("fine\n")] },
      {
        cell_type: "code",
        source: "const x: number = 'a';",
        outputs: [stderr("1:7 - Type 'string' is not assignable to type 'number'.\n")],
      },
      completion(false),
    ],
  };
  const failures = failuresOf(executed);
  assert.equal(failures[0].cell, 1);
  assert.match(failures[0].message, /not assignable to type 'number'/);
});

test("notebooks are found by number prefix or name, and an unknown name lists what exists", () => {
  const all = findNotebooks([]);
  assert.ok(all.length >= 1 && all.every((f) => f.endsWith(".ipynb")));
  assert.match(findNotebooks(["00"])[0], /00_quickstart\.ipynb$/);
  assert.match(findNotebooks(["00_quickstart.ipynb"])[0], /00_quickstart\.ipynb$/);
  assert.throws(
    () => findNotebooks(["99_nothing"]),
    /no notebook .* matches "99_nothing"; available: 00_quickstart\.ipynb/,
  );
});

test("verdict sentence states result, paper value and criterion", () => {
  const s = verdictSentence({
    claim: "Spearman rho(Disp, C_mean)",
    measured: 0.81234,
    paper: 0.8838,
    criterion: "rho > 0.5",
    held: true,
  });
  assert.equal(s, "HELD here — Spearman rho(Disp, C_mean): measured 0.8123 (paper: 0.8838); criterion: rho > 0.5.");
});

test("verdictSummary counts only the claims; numerical checks are reported apart", () => {
  const check = (held: boolean, kind?: "identity") => ({ claim: "c", measured: 1, criterion: "x", held, kind });
  assert.equal(
    verdictSummary([check(true), check(false), check(true, "identity")]),
    "1 of 2 claims held here; all 1 numerical checks passed.",
  );
  assert.equal(
    verdictSummary([check(true), check(false, "identity")]),
    "1 of 1 claims held here; 1 of 1 numerical checks FAILED (a bug).",
  );
  assert.equal(verdictSummary([check(false)]), "0 of 1 claims held here.");
});
