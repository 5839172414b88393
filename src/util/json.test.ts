import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { readJsonFile, readJsonObject } from "./json";

test("readJsonFile names the file and what it is for when it is missing, broken or not an object", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "json-"));
  try {
    const good = path.join(dir, "good.json");
    const broken = path.join(dir, "broken.json");
    const list = path.join(dir, "list.json");
    writeFileSync(good, '{"a": 1}');
    writeFileSync(broken, '{"a": ');
    writeFileSync(list, "[1]");
    assert.deepEqual(readJsonObject(good, "test config"), { a: 1 });
    assert.deepEqual(readJsonFile(list, "test list"), [1]);
    assert.throws(
      () => readJsonFile(path.join(dir, "gone.json"), "test config"),
      /gone\.json: missing \(test config\)/,
    );
    assert.throws(() => readJsonFile(broken, "test config"), /broken\.json: not valid JSON \(test config: /);
    assert.throws(() => readJsonObject(list, "test config"), /list\.json: expected a JSON object \(test config\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
