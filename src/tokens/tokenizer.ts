/**
 * Loads a checkpoint's tokenizer with @huggingface/tokenizers: from tokenizer.json when the folder has one, else from vocab.txt +
 * tokenizer_config.json by building the tokenizer.json a BertTokenizerFast would write (BertNormalizer, BertPreTokenizer,
 * WordPiece with "##", [CLS] X [SEP]). Texts longer than maxLength keep their first maxLength - (special tokens) word pieces.
 * Any model tokenizer.json describes works the same way: WordPiece (BERT, MPNet), Unigram (XLM-R; its Precompiled normalizer is
 * applied by the library as NFKC plus SentencePiece's whitespace rules, not by reading the charsmap) and byte-level BPE (RoBERTa,
 * Qwen3, whose post-processor appends <|endoftext|>).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import { readJsonObject } from "../util/json";
import type { Encoding, TextTokenizer } from "./types";

export interface LoadTokenizerOptions {
  /** maximum sequence length with special tokens (default: the smallest limit the checkpoint's config files state) */
  maxLength?: number;
}

type JsonObject = Record<string, unknown>;

/** Sentinel model_max_length values (e.g. 1e30) mean "no limit" in transformers. */
const NO_LIMIT = 1_000_000;
/** The usual BERT position table, for checkpoints whose config files state no limit at all. */
const FALLBACK_MAX_LENGTH = 512;

export async function loadTokenizer(modelDir: string, options: LoadTokenizerOptions = {}): Promise<TextTokenizer> {
  const config = readJsonIfPresent(path.join(modelDir, "tokenizer_config.json")) ?? {};
  const tokenizerFile = path.join(modelDir, "tokenizer.json");
  const vocabFile = path.join(modelDir, "vocab.txt");
  let tokenizerJson: JsonObject;
  let source: string;
  if (existsSync(tokenizerFile)) {
    tokenizerJson = readJsonIfPresent(tokenizerFile) as JsonObject;
    source = tokenizerFile;
  } else if (existsSync(vocabFile)) {
    tokenizerJson = wordPieceTokenizerJson(readVocab(vocabFile), config, specialTokens(modelDir, config), vocabFile);
    source = `${vocabFile} + tokenizer_config.json`;
  } else {
    throw new Error(`No tokenizer in ${modelDir}: looked for tokenizer.json and vocab.txt`);
  }

  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(tokenizerJson, config);
  } catch (error) {
    throw new Error(`${source}: not a tokenizer @huggingface/tokenizers can build (${(error as Error).message})`);
  }
  const special = new Set(
    ((tokenizerJson.added_tokens ?? []) as { content?: unknown; special?: unknown }[])
      .filter((t) => t.special === true)
      .map((t) => String(t.content)),
  );
  return new TokenizerJsonTextTokenizer(
    tokenizer,
    source,
    checkpointMaxLength(modelDir, config, options.maxLength),
    padId(tokenizer, config, tokenizerJson),
    special,
  );
}

class TokenizerJsonTextTokenizer implements TextTokenizer {
  private readonly specialCount: number;
  private readonly unkId: number;

  constructor(
    private readonly tokenizer: Tokenizer,
    readonly source: string,
    readonly maxLength: number,
    readonly padId: number,
    /** tokenizer.json's added tokens marked special */
    private readonly specialTokens: ReadonlySet<string>,
  ) {
    this.specialCount = this.addSpecialTokens([]).length;
    if (maxLength <= this.specialCount)
      throw new Error(`${source}: maxLength ${maxLength} leaves no room beside ${this.specialCount} special tokens`);
    // the library itself maps tokens it cannot find to the model's unknown token
    this.unkId = tokenizer.model?.unk_token_id ?? 0;
  }

  encode(text: string): Encoding {
    const pieces = this.tokenizer.tokenize(text);
    const room = this.maxLength - this.specialCount;
    const tokens = this.addSpecialTokens(pieces.length > room ? pieces.slice(0, room) : pieces);
    return {
      ids: tokens.map((t) => this.tokenizer.token_to_id(t) ?? this.unkId),
      tokens,
      originalLength: pieces.length + this.specialCount,
      truncated: pieces.length > room,
    };
  }

  encodeBatch(texts: string[]): Encoding[] {
    return texts.map((t) => this.encode(t));
  }

  promptLength(prompt: string): number {
    const tokens = this.encode(prompt).tokens;
    return tokens.length > 0 && this.specialTokens.has(tokens[tokens.length - 1]) ? tokens.length - 1 : tokens.length;
  }

  /** The checkpoint's own template ([CLS] X [SEP] for BERT), so truncation works for any post-processor. */
  private addSpecialTokens(pieces: string[]): string[] {
    const post = this.tokenizer.post_processor;
    return post === null ? pieces : post(pieces).tokens;
  }
}

/** min(tokenizer_config model_max_length, sentence_bert_config max_seq_length, config max_position_embeddings), or the override. */
function checkpointMaxLength(modelDir: string, tokenizerConfig: JsonObject, override: number | undefined): number {
  const limits: [string, unknown][] = [
    ["tokenizer_config.json model_max_length", tokenizerConfig.model_max_length],
    [
      "sentence_bert_config.json max_seq_length",
      readJsonIfPresent(path.join(modelDir, "sentence_bert_config.json"))?.max_seq_length,
    ],
    [
      "config.json max_position_embeddings",
      readJsonIfPresent(path.join(modelDir, "config.json"))?.max_position_embeddings,
    ],
  ];
  const stated = limits.filter((l): l is [string, number] => typeof l[1] === "number" && l[1] > 0 && l[1] < NO_LIMIT);
  if (override !== undefined) {
    if (!Number.isInteger(override) || override < 1)
      throw new Error(`loadTokenizer(${modelDir}): maxLength must be a positive integer, got ${override}`);
    const positions = stated.find((l) => l[0].startsWith("config.json"));
    if (positions !== undefined && override > positions[1]) {
      throw new Error(
        `loadTokenizer(${modelDir}): maxLength ${override} exceeds the model's ${positions[0]} (${positions[1]})`,
      );
    }
    return override;
  }
  return stated.length > 0 ? Math.min(...stated.map((l) => l[1])) : FALLBACK_MAX_LENGTH;
}

function padId(tokenizer: Tokenizer, config: JsonObject, tokenizerJson: JsonObject): number {
  const padToken = tokenContent(config.pad_token);
  const fromConfig = padToken === undefined ? undefined : tokenizer.token_to_id(padToken);
  const padding = tokenizerJson.padding as JsonObject | null | undefined;
  return fromConfig ?? (typeof padding?.pad_id === "number" ? padding.pad_id : 0);
}

interface SpecialTokens {
  cls: string;
  sep: string;
  pad: string;
  unk: string;
  mask: string;
}

/** tokenizer_config.json first, then special_tokens_map.json, then BERT's names. Entries may be strings or {content}. */
function specialTokens(modelDir: string, config: JsonObject): SpecialTokens {
  const map = readJsonIfPresent(path.join(modelDir, "special_tokens_map.json")) ?? {};
  const pick = (key: string, fallback: string) => tokenContent(config[key]) ?? tokenContent(map[key]) ?? fallback;
  return {
    cls: pick("cls_token", "[CLS]"),
    sep: pick("sep_token", "[SEP]"),
    pad: pick("pad_token", "[PAD]"),
    unk: pick("unk_token", "[UNK]"),
    mask: pick("mask_token", "[MASK]"),
  };
}

function tokenContent(entry: unknown): string | undefined {
  if (typeof entry === "string") return entry;
  if (typeof entry === "object" && entry !== null && typeof (entry as JsonObject).content === "string")
    return (entry as JsonObject).content as string;
  return undefined;
}

/** One token per line, line number = id; a repeated token keeps its last id, as transformers' load_vocab does. */
function readVocab(vocabFile: string): Map<string, number> {
  const lines = readFileSync(vocabFile, "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) throw new Error(`${vocabFile} is empty`);
  return new Map(lines.map((token, id) => [token.replace(/\r$/, ""), id]));
}

/** The tokenizer.json that transformers' BertTokenizerFast converter writes for this vocabulary and config. */
function wordPieceTokenizerJson(
  vocab: Map<string, number>,
  config: JsonObject,
  special: SpecialTokens,
  vocabFile: string,
): JsonObject {
  const idOf = (token: string): number => {
    const id = vocab.get(token);
    if (id === undefined) throw new Error(`${vocabFile} has no special token ${token}`);
    return id;
  };
  const addedTokens = [special.pad, special.unk, special.cls, special.sep, special.mask]
    .map((content) => ({
      id: idOf(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    }))
    .sort((a, b) => a.id - b.id);
  const lowercase = config.do_lower_case ?? true;
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: {
      type: "BertNormalizer",
      clean_text: true,
      handle_chinese_chars: config.tokenize_chinese_chars ?? true,
      // null: strip accents exactly when lower-casing, as BERT does
      strip_accents: config.strip_accents ?? null,
      lowercase,
    },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: special.cls, type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: special.sep, type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: special.cls, type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: special.sep, type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: special.sep, type_id: 1 } },
      ],
      special_tokens: {
        [special.cls]: { id: special.cls, ids: [idOf(special.cls)], tokens: [special.cls] },
        [special.sep]: { id: special.sep, ids: [idOf(special.sep)], tokens: [special.sep] },
      },
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: {
      type: "WordPiece",
      unk_token: special.unk,
      continuing_subword_prefix: "##",
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab),
    },
  };
}

function readJsonIfPresent(file: string): JsonObject | undefined {
  if (!existsSync(file)) return undefined;
  return readJsonObject(file, "tokenizer or model config") as JsonObject;
}
