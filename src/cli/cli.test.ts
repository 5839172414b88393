import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { assetsRoot, projectRoot } from "../assets/paths";

const bin = path.join(projectRoot(), "bin", "shiftlab.js");
const parity = JSON.parse(
  fs.readFileSync(path.join(assetsRoot(), "models", "shiftlab-mini-encoder", "reference", "parity.json"), "utf8"),
);

function shiftlab(args: string[], input = "") {
  return spawnSync(process.execPath, [bin, ...args], { input, encoding: "utf8", cwd: projectRoot() });
}

const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

test("shiftlab embed: one JSON array per input line, in order, equal to the PyTorch reference", () => {
  const [first, second] = parity.items;
  const input = `${JSON.stringify({ text: first.text, id: "a" })}\n${second.text}\n`;
  const run = shiftlab(["embed", "--model", "shiftlab-mini-encoder", "--pooling", "cls"], input);
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as number[]);
  assert.equal(lines.length, 2);
  // cls pooling, and the checkpoint's Normalize is on by default: compare directions
  const unit = (v: number[]) => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  assert.ok(maxAbsDiff(lines[0], unit(first.pooled.cls)) < 1e-4);
  assert.ok(maxAbsDiff(lines[1], unit(second.pooled.cls)) < 1e-4);
  const raw = shiftlab(["embed", "--model", "shiftlab-mini-encoder", "--no-normalize"], `${first.text}\n`);
  assert.ok(maxAbsDiff(JSON.parse(raw.stdout), first.pooled.mean) < 1e-4, raw.stderr);
});

test("shiftlab info --json describes the checkpoint", () => {
  const run = shiftlab(["info", "--model", "shiftlab-mini-encoder", "--json"]);
  assert.equal(run.status, 0, run.stderr);
  const info = JSON.parse(run.stdout);
  assert.equal(info.hiddenSize, 256);
  assert.equal(info.numLayers, 4);
  assert.equal(info.maxLength, 512);
  assert.equal(info.defaultPooling, "mean");
  assert.equal(info.normalize, true);
});

test("shiftlab: unknown commands and options are refused with a message", () => {
  const unknown = shiftlab(["frobnicate"]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
  const badPooling = shiftlab(["embed", "--pooling", "median"], "x\n");
  assert.equal(badPooling.status, 1);
  assert.match(badPooling.stderr, /--pooling must be one of mean, cls, max/);
});

test("shiftlab: short options, stray arguments and bad on/off values are errors, not ignored", () => {
  const short = shiftlab(["embed", "-m", "shiftlab-mini-encoder"], "x\n");
  assert.notEqual(short.status, 0);
  assert.match(short.stderr, /unknown short option -m: options are spelled out, e\.g\. --model/);
  assert.equal(short.stdout, "");
  const stray = shiftlab(["embed", "in.txt"], "x\n");
  assert.notEqual(stray.status, 0);
  assert.match(stray.stderr, /shiftlab embed: unexpected argument "in\.txt"; texts are read from stdin/);
  const strayInfo = shiftlab(["info", "shiftlab-mini-encoder"]);
  assert.notEqual(strayInfo.status, 0);
  assert.match(
    strayInfo.stderr,
    /shiftlab info: unexpected argument "shiftlab-mini-encoder"; name the model with --model REF/,
  );
  const badValue = shiftlab(["embed", "--normalize=maybe"], "x\n");
  assert.notEqual(badValue.status, 0);
  assert.match(badValue.stderr, /--normalize is an on\/off option/);
});

test("shiftlab embed --normalize=false gives the raw pooled vector (and --normalize=true a unit one)", () => {
  const norms = (stdout: string) =>
    stdout
      .trim()
      .split("\n")
      .map((l) => Math.hypot(...(JSON.parse(l) as number[])));
  const off = shiftlab(["embed", "--normalize=false"], "Pooling dilutes meaning.\n");
  assert.equal(off.status, 0, off.stderr);
  const on = shiftlab(["embed", "--normalize=true"], "Pooling dilutes meaning.\n");
  const noFlag = shiftlab(["embed", "--no-normalize"], "Pooling dilutes meaning.\n");
  assert.ok(Math.abs(norms(off.stdout)[0] - 1) > 0.01, `${norms(off.stdout)}`);
  assert.ok(Math.abs(norms(on.stdout)[0] - 1) < 1e-5);
  assert.deepEqual(off.stdout, noFlag.stdout);
});

test("shiftlab embed refuses input that is not UTF-8 text: a directory, UTF-16, binary", () => {
  const dir = fs.openSync(projectRoot(), "r");
  try {
    const fromDir = spawnSync(process.execPath, [bin, "embed"], {
      stdio: [dir, "pipe", "pipe"],
      encoding: "utf8",
      cwd: projectRoot(),
    });
    assert.notEqual(fromDir.status, 0);
    assert.match(fromDir.stderr, /could not read stdin \(EISDIR/);
  } finally {
    fs.closeSync(dir);
  }
  const utf16 = spawnSync(process.execPath, [bin, "embed"], {
    input: Buffer.from("\uFEFFhello\n", "utf16le"),
    encoding: "utf8",
    cwd: projectRoot(),
  });
  assert.notEqual(utf16.status, 0);
  assert.match(utf16.stderr, /stdin is UTF-16 text/);
  const binary = spawnSync(process.execPath, [bin, "embed"], {
    input: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]),
    encoding: "utf8",
    cwd: projectRoot(),
  });
  assert.notEqual(binary.status, 0);
  assert.match(binary.stderr, /stdin line 1: a NUL byte/);
  assert.equal(binary.stdout, "");
});

test("shiftlab notebooks checks its settings before any kernel starts", () => {
  const started = Date.now();
  const badScale = shiftlab(["notebooks", "00", "--scale", "tiny"]);
  assert.notEqual(badScale.status, 0);
  assert.match(badScale.stderr, /SHIFTLAB_SCALE must be "small" or "full", got "tiny"/);
  const badTimeout = shiftlab(["notebooks", "00", "--timeout", "0"]);
  assert.match(badTimeout.stderr, /--timeout must be a positive number of seconds, got 0/);
  assert.ok(Date.now() - started < 10_000, "no kernel was started");
});
