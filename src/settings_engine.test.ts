/** The engine settings: SHIFTLAB_THREADS (a positive integer, default every core) and SHIFTLAB_ENGINE (listed, read via setting). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { setting, SETTINGS, threadsSetting } from "./settings";

test("SHIFTLAB_THREADS: default every core; a positive integer, else an error naming the value", () => {
  assert.equal(threadsSetting({}), availableParallelism());
  assert.equal(threadsSetting({ SHIFTLAB_THREADS: " 3 " }), 3);
  for (const bad of ["0", "-1", "1.5", "two"])
    assert.throws(() => threadsSetting({ SHIFTLAB_THREADS: bad }), /SHIFTLAB_THREADS must be a positive integer, got/);
});

test("SHIFTLAB_ENGINE is a listed setting, read by the engine choice", () => {
  assert.equal(setting("SHIFTLAB_ENGINE", { SHIFTLAB_ENGINE: " onnxruntime " }), "onnxruntime");
  const record = SETTINGS.find((s) => s.name === "SHIFTLAB_ENGINE");
  assert.deepEqual(record?.usedBy, ["encoders/engine_select.ts"]);
});
