/** BERT on a tiny checkpoint in sentence-transformers/all-MiniLM-L6-v2's layout (see src/testing/architecture_parity.ts). */
import { architectureParityTests, BERT_LAYER_TENSORS, perLayer } from "../testing/architecture_parity";

// BertModel(config).state_dict() for all-MiniLM-L6-v2's published config (6 layers), as its model.safetensors stores it
architectureParityTests("bert", {
  name: "sentence-transformers/all-MiniLM-L6-v2",
  tensors: [
    "embeddings.word_embeddings.weight",
    "embeddings.position_embeddings.weight",
    "embeddings.token_type_embeddings.weight",
    "embeddings.LayerNorm.weight",
    "embeddings.LayerNorm.bias",
    ...perLayer("encoder.layer.", 6, BERT_LAYER_TENSORS),
    "pooler.dense.weight",
    "pooler.dense.bias",
  ],
  unused: ["pooler.dense.weight", "pooler.dense.bias"],
  prefixes: ["bert."],
  dtype: "F32",
});
