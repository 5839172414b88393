/** XLMRobertaModel on a tiny checkpoint in sentence-transformers/paraphrase-multilingual-mpnet-base-v2's layout (see src/testing/architecture_parity.ts). */
import { architectureParityTests, BERT_LAYER_TENSORS, perLayer } from "../testing/architecture_parity";

// XLMRobertaModel(config).state_dict() for sentence-transformers/paraphrase-multilingual-mpnet-base-v2's published config (12 layers): BERT's names, bare
architectureParityTests("xlm-roberta", {
  name: "sentence-transformers/paraphrase-multilingual-mpnet-base-v2",
  tensors: [
    "embeddings.word_embeddings.weight",
    "embeddings.token_type_embeddings.weight",
    "embeddings.LayerNorm.weight",
    "embeddings.LayerNorm.bias",
    "embeddings.position_embeddings.weight",
    ...perLayer("encoder.layer.", 12, BERT_LAYER_TENSORS),
    "pooler.dense.weight",
    "pooler.dense.bias",
  ],
  unused: ["pooler.dense.weight", "pooler.dense.bias"],
  prefixes: ["roberta."],
  dtype: "F32",
});
