/**
 * Renders a plotly figure to SVG and PNG in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core).
 * Each call starts and closes its own browser: a second or two per figure, and nothing left running when a notebook ends.
 */
import * as fs from "fs";
import * as path from "path";
import { setting } from "../settings";

export interface PlotlyFigure {
  data: object[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

export interface RenderedFigure {
  svg: string;
  png: Uint8Array;
}

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Browser binary: SHIFTLAB_CHROMIUM, else Debian's chromium. */
export function chromiumPath(): string {
  const candidates = [
    setting("SHIFTLAB_CHROMIUM"),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  throw new Error(
    "figure export needs Chromium: install Debian's `chromium` (see README) or set SHIFTLAB_CHROMIUM to a Chrome/Chromium binary",
  );
}

export function plotlyScriptPath(): string {
  return require.resolve("plotly.js-dist/plotly.js");
}

export async function renderFigure(figure: PlotlyFigure, width: number, height: number): Promise<RenderedFigure> {
  // Loaded lazily so that code which never draws does not pay for playwright.
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width, height } });
    await page.setContent(`<html><body style="margin:0"><div id="figure"></div></body></html>`);
    await page.addScriptTag({ path: plotlyScriptPath() });
    const urls = await page.evaluate(
      async ({ fig, w, h }) => {
        // Runs inside the page, where plotly defined `Plotly` on window.
        const P = (globalThis as any).Plotly;
        const gd = (globalThis as any).document.getElementById("figure");
        await P.newPlot(gd, fig.data, { ...(fig.layout ?? {}), width: w, height: h }, { staticPlot: true });
        const svg: string = await P.toImage(gd, { format: "svg", width: w, height: h });
        const png: string = await P.toImage(gd, { format: "png", width: w, height: h, scale: 2 });
        return { svg, png };
      },
      { fig: figure, w: width, h: height },
    );
    const svg = decodeURIComponent(urls.svg.replace(/^data:image\/svg\+xml,/, ""));
    const png = Buffer.from(urls.png.replace(/^data:image\/png;base64,/, ""), "base64");
    return { svg, png: new Uint8Array(png) };
  } finally {
    await browser.close();
  }
}

/** An interactive HTML page that loads plotly.js from `plotlySrc` (one shared copy, not 11 MB inlined into every file). */
export function figureHtml(figure: PlotlyFigure, title: string, plotlySrc: string): string {
  const json = JSON.stringify(figure).replace(/</g, "\\u003c");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title><script src="${plotlySrc}"></script></head>
<body><div id="figure" style="width:100%;height:90vh"></div>
<script>const f = ${json}; Plotly.newPlot("figure", f.data, f.layout || {}, f.config || {responsive: true});</script>
</body></html>
`;
}

/** Copies plotly.js into `folder` once; returns its path. */
export function ensurePlotlyCopy(folder: string): string {
  const target = path.join(folder, "plotly.js");
  if (!fs.existsSync(target)) fs.copyFileSync(plotlyScriptPath(), target);
  return target;
}
