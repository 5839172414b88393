import { test } from "node:test";
import assert from "node:assert/strict";
import { parseInputLines } from "./embed";
import { parseArgs } from "./args";

test("stdin lines: JSON objects give their text field, other lines are plain text, order kept", () => {
  const input = '{"text": "first", "id": 7}\nsecond line\n\n{not json at all\n{"text": "café \\u2028 x"}\n';
  assert.deepEqual(parseInputLines(input), ["first", "second line", "", "{not json at all", "café \u2028 x"]);
});

test("stdin lines: CRLF endings are removed and a missing final newline still gives the last line", () => {
  assert.deepEqual(parseInputLines("a\r\nb"), ["a", "b"]);
  assert.deepEqual(parseInputLines(""), []);
});

test("stdin lines: a JSON object without a text field is an error naming the line", () => {
  assert.throws(() => parseInputLines('ok\n{"title": "x"}\n'), /line 2: JSON object without a string "text" field/);
});

test("flags: values, booleans, = form and positionals", () => {
  const a = parseArgs(["--model", "m", "--normalize", "--layer=2", "01", "--scale", "small"], ["normalize"]);
  assert.deepEqual(a.positional, ["01"]);
  assert.equal(a.flags.get("model"), "m");
  assert.equal(a.flags.get("normalize"), true);
  assert.equal(a.flags.get("layer"), "2");
  assert.equal(a.flags.get("scale"), "small");
});
