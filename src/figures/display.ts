/**
 * Rich output in a tslab notebook, with a plain-text fallback when the code runs outside a kernel
 * (tests, CLI, scripts). tslab's display throws "Not ready" outside a kernel, which is how we detect it.
 */
import * as tslab from "tslab";

function tryDisplay(show: (d: typeof tslab.display) => void): boolean {
  try {
    show(tslab.display);
    return true;
  } catch {
    return false;
  }
}

export function showHtml(html: string, fallbackText: string): void {
  if (!tryDisplay((d) => d.html(html))) console.log(fallbackText);
}

export function showMarkdown(markdown: string): void {
  if (!tryDisplay((d) => d.markdown(markdown))) console.log(markdown);
}

export function showPng(png: Uint8Array, fallbackText: string): void {
  if (!tryDisplay((d) => d.png(png))) console.log(fallbackText);
}

export function showSvg(svg: string, fallbackText: string): void {
  if (!tryDisplay((d) => d.svg(svg))) console.log(fallbackText);
}
