import { test } from "node:test";
import assert from "node:assert/strict";
import { inlineFigureHtml, showFigure } from "./display";

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47]);

test("an inline figure is its PNG, plus a script that swaps in the served interactive page", () => {
  const html = inlineFigureHtml(
    png,
    "output/figures/00 quick/heat map.html",
    { width: 700, height: 400 },
    'A "quoted" <title>',
  );
  assert.match(
    html,
    /^<div id="(shiftlab-figure-[a-z0-9-]+)"><img src="data:image\/png;base64,iVBORw==" alt="A &quot;quoted&quot; &lt;title>"/,
  );
  const id = /id="([^"]+)"/.exec(html)?.[1];
  assert.ok(html.includes(`document.getElementById("${id}")`));
  assert.ok(html.includes('"output/figures/00%20quick/heat%20map.html"'), "path segments are URL-encoded");
  assert.match(html, /frame\.srcdoc = page\.replace\("<head>", '<head><base href="'/);
  assert.match(html, /frame\.width = 724; frame\.height = 424;/);
});

test("a figure outside the served tree stays a PNG; outside a kernel the fallback text is printed", () => {
  const html = inlineFigureHtml(png, undefined, { width: 700, height: 400 }, "t");
  assert.ok(!html.includes("<script"));
  const lines: string[] = [];
  const original = console.log;
  console.log = (line: string) => lines.push(line);
  try {
    showFigure(png, "x.html", { width: 1, height: 1 }, "t", "figure saved: /tmp/x.png");
  } finally {
    console.log = original;
  }
  assert.deepEqual(lines, ["figure saved: /tmp/x.png"]);
});
