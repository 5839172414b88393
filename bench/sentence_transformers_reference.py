#!/usr/bin/env python3
"""The sentence-transformers reference for `npm run bench:engines`: the same texts, the same checkpoint folder, run by
sentence-transformers on PyTorch (CPU), batch 32, once per thread count (torch.set_num_threads(N)).

For every thread count N it prints one line (tokens/s, texts/s, CPU cores kept busy, padding) and writes
  <out>/st-t<N>.f32   float32 embeddings, little-endian, one row per text in input order (what ST's encode returns)
  <out>/st-t<N>.json  the numbers, for bench/engines.ts to compare (max |difference| and lab/ST speed ratio)

Tokens are real word pieces (special tokens included, after truncation to max_seq_length), never padding; ST batches its
own way (sorts texts by character length, longest first) and its padding fraction is reported beside the lab's.

A Python with sentence-transformers (no GPU needed):
    python3 -m venv V && V/bin/pip install torch sentence-transformers     # from your own index / mirror
Run it directly (bench/engines.ts writes the texts file, output/bench/texts.jsonl):
    V/bin/python bench/sentence_transformers_reference.py --model /path/to/checkpoint-folder \
        --texts output/bench/texts.jsonl --threads 1,2 --out output/bench/sentence-transformers
or let the engine benchmark run it and compare:  npm run bench:engines -- --python V/bin/python
"""
import argparse
import json
import os
import resource
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="checkpoint folder (sentence-transformers layout)")
    parser.add_argument("--texts", required=True, help='JSON lines with a "text" field')
    parser.add_argument("--threads", default="1,2", help="comma-separated torch thread counts (default 1,2)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--limit", type=int, default=None, help="only the first N texts")
    parser.add_argument("--out", required=True, help="folder for st-t<N>.f32 and st-t<N>.json")
    args = parser.parse_args()
    thread_counts = [int(t) for t in args.threads.split(",") if t.strip() != ""]

    import numpy as np
    import torch
    import sentence_transformers
    from sentence_transformers import SentenceTransformer

    with open(args.texts, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f.read().split("\n") if line.strip() != ""]
    if args.limit is not None:
        texts = texts[: args.limit]
    os.makedirs(args.out, exist_ok=True)

    loaded = time.perf_counter()
    model = SentenceTransformer(args.model, device="cpu")
    load_seconds = time.perf_counter() - loaded
    max_length = model.max_seq_length
    lengths = np.array(
        [len(ids) for ids in model.tokenizer(texts, truncation=True, max_length=max_length)["input_ids"]], dtype=np.int64
    )
    real_tokens = int(lengths.sum())
    # ST's encode: texts sorted by -len(text) (np.argsort, as in SentenceTransformer.encode), batches padded to their longest
    order = np.argsort([-len(t) for t in texts])
    slots = sum(
        int(lengths[order[i : i + args.batch_size]].max()) * len(order[i : i + args.batch_size])
        for i in range(0, len(texts), args.batch_size)
    )
    padding = (slots - real_tokens) / slots if slots else 0.0

    print(
        f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__} (CPU), {args.model}: "
        f"{len(texts)} texts, {real_tokens} real tokens, batch {args.batch_size}, ST's own padding {padding:.3f}",
        flush=True,
    )
    for threads in thread_counts:
        torch.set_num_threads(threads)
        model.encode(texts[: args.batch_size], batch_size=args.batch_size, show_progress_bar=False)  # warm-up
        load_before = os.getloadavg()
        usage_before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        embeddings = model.encode(
            texts, batch_size=args.batch_size, convert_to_numpy=True, show_progress_bar=False
        ).astype("<f4", copy=False)
        seconds = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (usage.ru_utime - usage_before.ru_utime) + (usage.ru_stime - usage_before.ru_stime)
        np.ascontiguousarray(embeddings).tofile(os.path.join(args.out, f"st-t{threads}.f32"))
        stats = {
            "engine": "sentence-transformers",
            "backend": "torch-cpu",
            "threads": threads,
            "torchThreads": torch.get_num_threads(),
            "status": "ok",
            "sentenceTransformers": sentence_transformers.__version__,
            "torch": torch.__version__,
            "model": args.model,
            "texts": len(texts),
            "cols": int(embeddings.shape[1]),
            "realTokens": real_tokens,
            "padding": padding,
            "batchSize": args.batch_size,
            "loadSeconds": load_seconds,
            "seconds": seconds,
            "tokensPerSecond": real_tokens / seconds,
            "textsPerSecond": len(texts) / seconds,
            "cpuCores": cpu / seconds,
            # ru_maxrss is in KiB on Linux: the process's high-water mark so far (all earlier thread counts included)
            "peakRssMib": usage.ru_maxrss / 1024,
            "loadAverageBefore": list(load_before),
            "loadAverageAfter": list(os.getloadavg()),
        }
        with open(os.path.join(args.out, f"st-t{threads}.json"), "w") as f:
            json.dump(stats, f, indent=2)
            f.write("\n")
        print(
            f"threads {threads}: {stats['tokensPerSecond']:.0f} tokens/s, {stats['textsPerSecond']:.1f} texts/s, "
            f"{stats['cpuCores']:.2f} cores busy, {seconds:.1f} s, peak RSS {stats['peakRssMib']:.0f} MiB, "
            f"load average {' '.join(f'{l:.2f}' for l in load_before)}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
