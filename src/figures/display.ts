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

/**
 * A saved figure inline: the static PNG, which the classic Jupyter notebook (the lab's UI, `npm run lab`) swaps for the
 * interactive plotly page it was exported as (served by Jupyter from the project root, so hover and zoom work offline and the
 * notebook file carries no copy of plotly.js). Anywhere else — nbconvert, an untrusted notebook, VS Code, a figure folder
 * outside the project — the PNG stays. Outside a kernel the fallback text is printed.
 */
export function showFigure(
  png: Uint8Array,
  htmlFromRoot: string | undefined,
  size: { width: number; height: number },
  title: string,
  fallbackText: string,
): void {
  if (!tryDisplay((d) => d.html(inlineFigureHtml(png, htmlFromRoot, size, title)))) console.log(fallbackText);
}

/** The HTML of showFigure's output: the PNG in a holder, and (when the page is served) the script that swaps it. */
export function inlineFigureHtml(
  png: Uint8Array,
  htmlFromRoot: string | undefined,
  size: { width: number; height: number },
  title: string,
): string {
  const id = `shiftlab-figure-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
  const image = `<img src="data:image/png;base64,${Buffer.from(png).toString("base64")}" alt="${escapeAttribute(title)}" style="max-width:100%">`;
  const swap =
    htmlFromRoot === undefined
      ? ""
      : `<script>(function swap(tries) {
  // the notebook runs this before it attaches the output to the page: wait until the holder is there
  var holder = document.getElementById(${JSON.stringify(id)});
  if (!holder) { if (tries < 50) setTimeout(function () { swap(tries + 1); }, 100); return; }
  var base = document.body && document.body.getAttribute("data-base-url");
  if (!base || typeof fetch !== "function") return;
  var url = base + "files/" + ${JSON.stringify(htmlFromRoot.split("/").map(encodeURIComponent).join("/"))};
  // Jupyter serves files sandboxed (no cookies, so the page could not load plotly.js): embed the page as srcdoc instead,
  // with a <base> so its relative plotly.js resolves to the same server
  fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : undefined; }).then(function (page) {
    if (!page) return;
    var frame = document.createElement("iframe");
    frame.srcdoc = page.replace("<head>", '<head><base href="' + new URL(url, location.href).href + '">');
    frame.width = ${size.width + 24}; frame.height = ${size.height + 24}; frame.style.border = "0";
    holder.replaceChildren(frame);
  }).catch(function () {});
})(0);</script>`;
  return `<div id="${id}">${image}</div>${swap}`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
