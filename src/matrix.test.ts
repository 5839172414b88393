import { test } from "node:test";
import assert from "node:assert/strict";
import { sliceRows, splitRows, type Matrix } from "./matrix";

test("sliceRows is a view of the chosen rows", () => {
  const m: Matrix = { rows: 3, cols: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
  assert.deepEqual(Array.from(sliceRows(m, 1, 3).data), [3, 4, 5, 6]);
  assert.equal(sliceRows(m, 2, 2).rows, 0);
  assert.throws(() => sliceRows(m, 2, 4), /outside/);
});

test("splitRows cuts consecutive blocks of the given sizes", () => {
  const m: Matrix = { rows: 4, cols: 1, data: new Float32Array([1, 2, 3, 4]) };
  assert.deepEqual(
    splitRows(m, [1, 0, 3]).map((b) => Array.from(b.data)),
    [[1], [], [2, 3, 4]],
  );
  assert.throws(() => splitRows(m, [5]));
});
