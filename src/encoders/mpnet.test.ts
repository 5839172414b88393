/** MPNet on a tiny checkpoint in sentence-transformers/all-mpnet-base-v2's layout (see src/testing/architecture_parity.ts). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { architectureParityTests, perLayer } from "../testing/architecture_parity";
import { relativePositionBucket } from "./mpnet";

// MPNetModel(config).state_dict() for all-mpnet-base-v2's published config (12 layers; its config.json names MPNetForMaskedLM,
// its weights are bare MPNetModel names)
const LAYER = [
  "attention.attn.q.weight",
  "attention.attn.q.bias",
  "attention.attn.k.weight",
  "attention.attn.k.bias",
  "attention.attn.v.weight",
  "attention.attn.v.bias",
  "attention.attn.o.weight",
  "attention.attn.o.bias",
  "attention.LayerNorm.weight",
  "attention.LayerNorm.bias",
  "intermediate.dense.weight",
  "intermediate.dense.bias",
  "output.dense.weight",
  "output.dense.bias",
  "output.LayerNorm.weight",
  "output.LayerNorm.bias",
];
architectureParityTests("mpnet", {
  name: "sentence-transformers/all-mpnet-base-v2",
  tensors: [
    "embeddings.word_embeddings.weight",
    "embeddings.position_embeddings.weight",
    "embeddings.LayerNorm.weight",
    "embeddings.LayerNorm.bias",
    "encoder.relative_attention_bias.weight",
    ...perLayer("encoder.layer.", 12, LAYER),
    "pooler.dense.weight",
    "pooler.dense.bias",
  ],
  unused: ["pooler.dense.weight", "pooler.dense.bias"],
  prefixes: ["mpnet."],
  dtype: "F32",
});

test("relative position buckets: exact below 8, logarithmic to 128, one bucket per direction beyond (torch's values)", () => {
  // MPNetEncoder.relative_position_bucket(torch.tensor(relative)) in transformers 5.18
  const relative = [0, 1, -1, 7, -7, 8, -8, 11, 12, 16, 31, 32, 63, 64, 127, 128, 500, -500];
  const expected = [0, 17, 1, 23, 7, 24, 8, 24, 25, 26, 27, 28, 29, 30, 31, 31, 31, 15];
  assert.deepEqual(
    relative.map((r) => relativePositionBucket(r)),
    expected,
  );
});
