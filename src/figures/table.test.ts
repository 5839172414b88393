import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { inspect } from "node:util";
import { setFigureFolder } from "./figure";
import { showTable } from "./table";

const folder = mkdtempSync(path.join(os.tmpdir(), "shiftlab-table-"));
after(() => rmSync(folder, { recursive: true, force: true }));

test("showTable writes RFC 4180 CSV and, as a cell's last expression, prints one line instead of danfojs internals", () => {
  setFigureFolder(folder);
  const original = console.log;
  console.log = () => undefined; // outside a kernel the table is printed as text
  let shown;
  try {
    shown = showTable(
      [
        { claim: "a, b", value: 0.5 },
        { claim: 'say "x"', value: 2 },
      ],
      "demo",
    );
  } finally {
    console.log = original;
  }
  assert.equal(shown.csv, path.join(folder, "demo.csv"));
  assert.equal(readFileSync(shown.csv, "utf8"), 'claim,value\n"a, b",0.5\n"say ""x""",2\n');
  assert.equal(inspect(shown), `table 2 rows × 2 columns, saved as ${shown.csv}`);
  assert.deepEqual(shown.frame.shape, [2, 2]);
});
