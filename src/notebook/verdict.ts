/**
 * The last cell of every notebook: what we measured next to what the paper reports, and one sentence per claim saying whether
 * it held here. "held" is decided by the notebook from its own criterion, which it states in `criterion`.
 */
import { Row, showTable } from "../figures/table";

export interface ClaimCheck {
  claim: string;
  measured: number | string;
  /** the paper's number where it gives one */
  paper?: number | string;
  /** the rule used to decide, e.g. "rho > 0.5 and CI excludes 0" */
  criterion: string;
  held: boolean;
  /** "identity": a numerical check of something that holds by proof (a failure is a bug, not evidence); default: a claim under test */
  kind?: "claim" | "identity";
}

const formatValue = (v: number | string | undefined) =>
  v === undefined ? "—" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v;

export function verdictSentence(check: ClaimCheck): string {
  const paper = check.paper === undefined ? "" : ` (paper: ${formatValue(check.paper)})`;
  return `${check.held ? "HELD" : "DID NOT HOLD"} here — ${check.claim}: measured ${formatValue(check.measured)}${paper}; criterion: ${check.criterion}.`;
}

/** "2 of 3 claims held here" — only claims under test count; numerical checks of proved identities are reported apart. */
export function verdictSummary(checks: readonly ClaimCheck[]): string {
  const claims = checks.filter((c) => c.kind !== "identity");
  const identities = checks.filter((c) => c.kind === "identity");
  const failed = identities.filter((c) => !c.held).length;
  const checksLine =
    identities.length === 0
      ? ""
      : failed === 0
        ? `; all ${identities.length} numerical checks passed`
        : `; ${failed} of ${identities.length} numerical checks FAILED (a bug)`;
  return `${claims.filter((c) => c.held).length} of ${claims.length} claims held here${checksLine}.`;
}

export function reportVerdicts(notebook: string, checks: ClaimCheck[]): Row[] {
  // numerical checks of proved identities first, apart from the claims under test (each group in the notebook's order)
  const identities = checks.filter((c) => c.kind === "identity");
  const claims = checks.filter((c) => c.kind !== "identity");
  const rows: Row[] = [...identities, ...claims].map((c) => ({
    kind: c.kind === "identity" ? "numerical check" : "claim",
    claim: c.claim,
    measured: formatValue(c.measured),
    paper: formatValue(c.paper),
    criterion: c.criterion,
    held: c.held ? "yes" : "no",
  }));
  showTable(rows, `${notebook}_measured_vs_paper`);
  // printed as text (not only displayed) so the executed notebook's stream output carries the verdicts
  if (identities.length > 0) console.log("Numerical checks (hold by proof; a failure is a bug):");
  for (const sentence of identities.map(verdictSentence)) console.log(`  ${sentence}`);
  if (identities.length > 0) console.log("Claims under test:");
  for (const sentence of claims.map(verdictSentence)) console.log(identities.length > 0 ? `  ${sentence}` : sentence);
  console.log(verdictSummary(checks));
  return rows;
}
