import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeUtf8Text, parseInputLines } from "./embed";
import { parseArgs } from "./args";

test("stdin lines: JSON objects give their text field, other lines are plain text, order kept", () => {
  const input = '{"text": "first", "id": 7}\nsecond line\n\n  plain {braces} later\n{"text": "café \\u2028 x"}\n';
  assert.deepEqual(parseInputLines(input), ["first", "second line", "", "  plain {braces} later", "café \u2028 x"]);
});

test("stdin lines: a line that starts like JSON but does not parse is an error naming its line", () => {
  assert.throws(() => parseInputLines('ok\n{"text": broken\n'), /stdin line 2: not valid JSON/);
  assert.throws(() => parseInputLines("ok\n[1, 2\n"), /stdin line 2: not valid JSON/);
});

test("stdin bytes: UTF-16, binary and invalid UTF-8 are refused with the reason and line", () => {
  assert.equal(decodeUtf8Text(Buffer.from("\uFEFFhé\n", "utf8"), "stdin"), "hé\n");
  assert.throws(() => decodeUtf8Text(Buffer.from("\uFEFFhi", "utf16le"), "stdin"), /stdin is UTF-16 text/);
  assert.throws(
    () => decodeUtf8Text(Buffer.from([0x61, 0x0a, 0x62, 0x00, 0x63]), "stdin"),
    /stdin line 2: a NUL byte: this looks like a binary file/,
  );
  assert.throws(
    () => decodeUtf8Text(Buffer.from([0x61, 0x0a, 0x0a, 0x63, 0xe9, 0x74]), "stdin"),
    /stdin line 3: not valid UTF-8 \(byte 4\)/,
  );
});

test("stdin lines: CRLF endings are removed and a missing final newline still gives the last line", () => {
  assert.deepEqual(parseInputLines("a\r\nb"), ["a", "b"]);
  assert.deepEqual(parseInputLines(""), []);
});

test("stdin lines: a JSON object without a text field is an error naming the line", () => {
  assert.throws(() => parseInputLines('ok\n{"title": "x"}\n'), /line 2: JSON without a string "text" field/);
});

test("flags: values, booleans, = form and positionals", () => {
  const a = parseArgs(["--model", "m", "--normalize", "--layer=2", "01", "--scale", "small"], ["normalize"]);
  assert.deepEqual(a.positional, ["01"]);
  assert.equal(a.flags.get("model"), "m");
  assert.equal(a.flags.get("normalize"), true);
  assert.equal(a.flags.get("layer"), "2");
  assert.equal(a.flags.get("scale"), "small");
});
