/** RobertaModel on a tiny checkpoint in sentence-transformers/all-distilroberta-v1's layout (see src/testing/architecture_parity.ts). */
import { architectureParityTests, BERT_LAYER_TENSORS, perLayer } from "../testing/architecture_parity";

// RobertaModel(config).state_dict() for sentence-transformers/all-distilroberta-v1's published config (6 layers): BERT's names, bare
architectureParityTests("roberta", {
  name: "sentence-transformers/all-distilroberta-v1",
  tensors: [
    "embeddings.word_embeddings.weight",
    "embeddings.token_type_embeddings.weight",
    "embeddings.LayerNorm.weight",
    "embeddings.LayerNorm.bias",
    "embeddings.position_embeddings.weight",
    ...perLayer("encoder.layer.", 6, BERT_LAYER_TENSORS),
    "pooler.dense.weight",
    "pooler.dense.bias",
  ],
  unused: ["pooler.dense.weight", "pooler.dense.bias"],
  prefixes: ["roberta."],
  dtype: "F32",
});
