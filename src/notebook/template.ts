/**
 * The notebook `shiftlab new NAME` writes: a paper section in cells (claim, method, result, reading, verdict) that runs as it
 * is, on the project kernel, and shows the pattern every lab notebook follows — one settings cell, a model cell, measurements
 * through `src`, an exported figure, and a verdict whose criterion is stated before the numbers.
 */

interface Cell {
  id: string;
  cell_type: "markdown" | "code";
  metadata: Record<string, never>;
  source: string[];
  execution_count?: null;
  outputs?: never[];
}

/** A notebook name: letters, digits, "_" and "-", starting with a letter or digit (it names files and output folders). */
export function checkNotebookName(name: string): string {
  const bare = name.replace(/\.ipynb$/, "");
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(bare)) {
    throw new Error(`notebook name ${JSON.stringify(name)}: use letters, digits, "_" and "-" (e.g. 11_my_corpus)`);
  }
  return bare;
}

function cell(id: string, type: Cell["cell_type"], text: string): Cell {
  const lines = text.split("\n");
  const source = lines.map((line, i) => (i < lines.length - 1 ? line + "\n" : line));
  return type === "code"
    ? { id, cell_type: type, metadata: {}, source, execution_count: null, outputs: [] }
    : { id, cell_type: type, metadata: {}, source };
}

/** The nbformat 4.5 JSON (cell ids, the project's kernel) of a new notebook called `name`. */
export function notebookTemplate(name: string): object {
  const title = checkNotebookName(name);
  const cells: Cell[] = [
    cell(
      "claim",
      "markdown",
      `# ${title}

**Claim.** Whole-text embeddings of texts whose sentences shift more (higher Shift = Local · Disp) lie further from their own
sentences (higher C_mean). Replace this claim, the corpus and the measurement with your own; keep the shape.

**Method.** Whole arXiv abstracts that fit the model; each abstract embedded once as a whole and once per sentence; per text
Shift of its sentence vectors and C_mean = mean cosine distance from the whole-text vector to each sentence vector.`,
    ),
    cell(
      "settings",
      "code",
      `import { startNotebook, loadModel, loadCorpus, wholeDocuments, describeSelection, splitRows, row } from "./src/index";
import { semanticShift, meanDistanceToPooled, spearman, bootstrapCI, scatterChart, saveFigure, reportVerdicts } from "./src/index";
const nb = await startNotebook(${JSON.stringify(title)});
const CORPUS = "arxiv";
const TEXTS = nb.sized(24, 300); // small: CI and a first look; full: the researcher's run`,
    ),
    cell("model", "code", `const model = await loadModel(); // SHIFTLAB_MODEL, else the default model\nmodel.info`),
    cell(
      "data",
      "code",
      `const documents = loadCorpus(CORPUS, { seed: nb.seed, limit: TEXTS });
const { texts, report } = wholeDocuments(documents, { countTokens: model.countTokens, maxTokens: model.info.maxLength });
console.log(describeSelection(CORPUS, report));`,
    ),
    cell(
      "measure",
      "code",
      `const sentenceVectors = await model.embed(texts.flatMap((t) => t.sentences));
const textVectors = await model.embed(texts.map((t) => t.sentences.join(" ")));
const perText = splitRows(sentenceVectors, texts.map((t) => t.sentences.length));
const shift = perText.map((own) => semanticShift(own).shift);
const cMean = perText.map((own, i) => meanDistanceToPooled(own, row(textVectors, i)));`,
    ),
    cell("result-md", "markdown", `## Result\n\nOne point per text; hover shows its id.`),
    cell(
      "figure",
      "code",
      `const points = [{ name: CORPUS, x: shift, y: cMean, text: texts.map((t) => t.id) }];
await saveFigure(scatterChart("C_mean vs Shift", "Shift (Local · Disp)", "C_mean of the whole-text embedding", points), "cmean_vs_shift");`,
    ),
    cell(
      "verdict-md",
      "markdown",
      `## Verdict\n\n**Criterion (stated before the numbers):** Spearman ρ(Shift, C_mean) > 0 with the lower end of its 95% bootstrap CI\n(texts resampled: each text is its own document) above 0.`,
    ),
    cell(
      "verdict",
      "code",
      `const indices = texts.map((_, i) => i);
const rho = bootstrapCI(indices, (ix) => spearman(ix.map((i) => shift[i]), ix.map((i) => cMean[i])), { seed: nb.seed });
console.log(\`Spearman ρ = \${rho.estimate.toFixed(3)} [\${rho.lower.toFixed(3)}, \${rho.upper.toFixed(3)}] over \${texts.length} texts\`);
reportVerdicts(nb.name, [
  { claim: "Higher Shift, further from the own sentences", measured: rho.estimate, criterion: "ρ > 0 and CI lower bound > 0", held: rho.lower > 0 },
]);
model.dispose();`,
    ),
  ];
  return {
    cells,
    metadata: {
      kernelspec: { name: "tslab", display_name: "TypeScript (shiftlab)", language: "typescript" },
      language_info: {
        name: "typescript",
        file_extension: ".ts",
        mimetype: "text/typescript",
        codemirror_mode: { name: "javascript", typescript: true },
      },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}
