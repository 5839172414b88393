/**
 * Show a figure in the notebook and export it: <folder>/<name>.html (interactive), .svg and .png. Inline it is the PNG, which
 * the lab's notebook UI replaces by the interactive page (display.ts showFigure).
 * The folder is set per notebook by startNotebook() (src/notebook/context.ts); by default <output>/figures.
 */
import * as fs from "fs";
import * as path from "path";
import { outputRoot, projectRoot } from "../assets/paths";
import { showFigure } from "./display";
import { PlotlyFigure, ensurePlotlyCopy, figureHtml, renderFigure } from "./render";

let figureFolder: string | undefined;

export function setFigureFolder(folder: string): void {
  figureFolder = folder;
}

export function currentFigureFolder(): string {
  return figureFolder ?? path.join(outputRoot(), "figures");
}

export interface SavedFigure {
  html: string;
  svg: string;
  png: string;
}

export interface FigureOptions {
  width?: number;
  height?: number;
  /** display in the notebook (default true) */
  show?: boolean;
}

export function safeFigureName(name: string): string {
  const cleaned = name.trim().replace(/[^A-Za-z0-9._-]+/g, "_");
  if (!cleaned) throw new Error(`figure name ${JSON.stringify(name)} has no usable characters`);
  return cleaned;
}

export async function saveFigure(
  figure: PlotlyFigure,
  name: string,
  options: FigureOptions = {},
): Promise<SavedFigure> {
  const { width = 760, height = 480, show = true } = options;
  const folder = currentFigureFolder();
  fs.mkdirSync(folder, { recursive: true });
  const base = path.join(folder, safeFigureName(name));
  const layoutTitle = figure.layout?.title as { text?: string } | string | undefined;
  const title = (typeof layoutTitle === "string" ? layoutTitle : layoutTitle?.text) ?? name;
  // one plotly.js shared by all notebooks' figure folders (they are siblings under <output>/figures)
  const plotly = ensurePlotlyCopy(path.dirname(folder));
  fs.writeFileSync(`${base}.html`, figureHtml(figure, title, path.relative(folder, plotly)));
  const rendered = await renderFigure(figure, width, height);
  fs.writeFileSync(`${base}.svg`, rendered.svg);
  fs.writeFileSync(`${base}.png`, rendered.png);
  const saved = { html: `${base}.html`, svg: `${base}.svg`, png: `${base}.png` };
  if (show) {
    const fromRoot = path.relative(projectRoot(), saved.html).split(path.sep).join("/");
    const served = fromRoot.startsWith("../") || path.isAbsolute(fromRoot) ? undefined : fromRoot;
    showFigure(rendered.png, served, { width, height }, title, `figure saved: ${saved.png}`);
  }
  return saved;
}
