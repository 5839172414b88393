import { test } from "node:test";
import assert from "node:assert/strict";
import { sliceRows, type Matrix } from "./matrix";

test("sliceRows is a view of the chosen rows", () => {
  const m: Matrix = { rows: 3, cols: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
  assert.deepEqual(Array.from(sliceRows(m, 1, 3).data), [3, 4, 5, 6]);
  assert.equal(sliceRows(m, 2, 2).rows, 0);
  assert.throws(() => sliceRows(m, 2, 4), /outside/);
});
