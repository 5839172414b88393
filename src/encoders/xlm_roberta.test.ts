/** XLMRobertaModel on a tiny checkpoint in sentence-transformers/paraphrase-multilingual-mpnet-base-v2's layout (see src/testing/architecture_parity.ts). */
import { architectureParityTests, perLayer } from "../testing/architecture_parity";

// XLMRobertaModel(config).state_dict() for sentence-transformers/paraphrase-multilingual-mpnet-base-v2's published config (12 layers): BERT's names, bare
const LAYER = [
  "attention.self.query.weight",
  "attention.self.query.bias",
  "attention.self.key.weight",
  "attention.self.key.bias",
  "attention.self.value.weight",
  "attention.self.value.bias",
  "attention.output.dense.weight",
  "attention.output.dense.bias",
  "attention.output.LayerNorm.weight",
  "attention.output.LayerNorm.bias",
  "intermediate.dense.weight",
  "intermediate.dense.bias",
  "output.dense.weight",
  "output.dense.bias",
  "output.LayerNorm.weight",
  "output.LayerNorm.bias",
];
architectureParityTests("xlm-roberta", {
  name: "sentence-transformers/paraphrase-multilingual-mpnet-base-v2",
  tensors: [
    "embeddings.word_embeddings.weight",
    "embeddings.token_type_embeddings.weight",
    "embeddings.LayerNorm.weight",
    "embeddings.LayerNorm.bias",
    "embeddings.position_embeddings.weight",
    ...perLayer("encoder.layer.", 12, LAYER),
    "pooler.dense.weight",
    "pooler.dense.bias",
  ],
  unused: ["pooler.dense.weight", "pooler.dense.bias"],
  prefixes: ["roberta."],
  dtype: "F32",
});
