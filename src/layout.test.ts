/**
 * The house rules of src/ as tests: no import cycles (type-only imports count too: they couple files as much), no file over
 * 400 lines, test fixtures only under src/testing/ and imported by tests alone.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";

const SRC = __dirname;
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "testdata" ? [] : sourceFiles(full);
    return name.endsWith(".ts") ? [full] : [];
  });
}

/** The project files a module imports (relative specifiers only), resolved to paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/g)].map((m) => m[1]);
  return specs.flatMap((spec) => {
    const target = path.resolve(path.dirname(file), spec);
    const hit = [`${target}.ts`, path.join(target, "index.ts")].find((p) => existsSync(p));
    return hit === undefined ? [] : [hit];
  });
}

/** Every cycle in the graph, each as its list of files (Tarjan's strongly connected components of size > 1 or self loops). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

const files = sourceFiles(SRC);
const relative = (f: string) => path.relative(SRC, f);

test("importCycles finds a planted cycle and nothing in a tree", () => {
  const planted = new Map([
    ["a", ["b"]],
    ["b", ["c"]],
    ["c", ["a"]],
    ["d", ["a"]],
  ]);
  assert.deepEqual(importCycles(planted), [["a", "b", "c"]]);
  assert.deepEqual(
    importCycles(
      new Map([
        ["a", ["b", "c"]],
        ["b", ["c"]],
        ["c", []],
      ]),
    ),
    [],
  );
});

test("src/ has no import cycles", () => {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  assert.ok(
    [...graph.values()].some((targets) => targets.length > 0),
    "the import scan found imports",
  );
  assert.deepEqual(
    importCycles(graph).map((c) => c.map(relative)),
    [],
  );
});

test(`no source file is longer than ${MAX_LINES} lines`, () => {
  const long = files
    .map((f) => [relative(f), readFileSync(f, "utf8").split("\n").length] as const)
    .filter(([, n]) => n > MAX_LINES);
  assert.deepEqual(long, []);
});

test("test fixtures live in src/testing/ and only tests import them", () => {
  const fixtureFiles = files.filter((f) => /fixture/.test(path.basename(f)));
  assert.deepEqual(
    fixtureFiles.map(relative).filter((f) => !f.startsWith(`testing${path.sep}`)),
    [],
  );
  const production = files.filter((f) => !f.endsWith(".test.ts") && !relative(f).startsWith(`testing${path.sep}`));
  const leaks = production.filter((f) => importsOf(f).some((t) => relative(t).startsWith(`testing${path.sep}`)));
  assert.deepEqual(leaks.map(relative), []);
});
