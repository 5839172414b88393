/**
 * Result tables as danfojs DataFrames: shown in the notebook as HTML, printed as text outside one, exported as CSV next to the
 * notebook's figures.
 */
import { inspect } from "node:util";
import * as fs from "fs";
import * as path from "path";
import * as dfd from "danfojs-node";
import { showHtml } from "./display";
import { currentFigureFolder, safeFigureName } from "./figure";

export type Row = Record<string, string | number | boolean | null>;

export function toDataFrame(rows: Row[]): dfd.DataFrame {
  if (rows.length === 0) throw new Error("toDataFrame: no rows to tabulate");
  return new dfd.DataFrame(rows);
}

function formatCell(value: unknown, digits: number): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    return Number.isInteger(value) ? String(value) : value.toFixed(digits);
  }
  return value === null || value === undefined ? "" : String(value);
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function tableText(frame: dfd.DataFrame, digits = 4): string {
  const columns = frame.columns.map(String);
  const body = (frame.values as unknown[][]).map((r) => r.map((v) => formatCell(v, digits)));
  const widths = columns.map((c, j) => Math.max(c.length, ...body.map((r) => r[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padStart(widths[j])).join("  ");
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

export function tableHtml(frame: dfd.DataFrame, digits = 4): string {
  const head = frame.columns.map((c) => `<th>${escapeHtml(String(c))}</th>`).join("");
  const rows = (frame.values as unknown[][])
    .map(
      (r) =>
        `<tr>${r.map((v) => `<td style="text-align:right">${escapeHtml(formatCell(v, digits))}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

/** RFC 4180 CSV: fields with commas, quotes or line breaks are quoted (danfojs' toCSV does not, and our claims contain commas). */
export function tableCsv(frame: dfd.DataFrame): string {
  const field = (value: unknown) => {
    const text = value === null || value === undefined ? "" : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [
    frame.columns.map(field).join(","),
    ...(frame.values as unknown[][]).map((r) => r.map(field).join(",")),
  ];
  return lines.join("\n") + "\n";
}

/**
 * What showTable returns: the DataFrame and the CSV path. As a cell's last expression it prints one line (the table itself
 * is already shown), not the DataFrame's internals.
 */
export class ShownTable {
  constructor(
    readonly frame: dfd.DataFrame,
    readonly csv: string,
  ) {}

  [inspect.custom](): string {
    return `table ${this.frame.shape[0]} rows × ${this.frame.shape[1]} columns, saved as ${this.csv}`;
  }

  toString(): string {
    return this[inspect.custom]();
  }
}

/** Display the table and write <figures folder>/<name>.csv; returns the DataFrame and the CSV path. */
export function showTable(rows: Row[] | dfd.DataFrame, name: string, options: { digits?: number } = {}): ShownTable {
  const frame = rows instanceof dfd.DataFrame ? rows : toDataFrame(rows);
  const folder = currentFigureFolder();
  fs.mkdirSync(folder, { recursive: true });
  const csv = path.join(folder, `${safeFigureName(name)}.csv`);
  fs.writeFileSync(csv, tableCsv(frame));
  showHtml(tableHtml(frame, options.digits), tableText(frame, options.digits));
  return new ShownTable(frame, csv);
}
