"""Reference vectors for the parity test of fihris-embed.

Computes, with sentence-transformers (the model's reference implementation),
the token ids and the embedding of every text in
tests/fixtures/parity-texts.json, queries with the prompt "query" and
documents with the prompt "document", and writes
tests/fixtures/parity.json. Run once, when the fixture texts change:

    python -m venv /tmp/ref && /tmp/ref/bin/pip install sentence-transformers torch
    FIHRIS_MODEL_DIR=~/.cache/fihris/embeddinggemma-300m /tmp/ref/bin/python crates/fihris-embed/reference/reference.py
"""

import json
import os
import pathlib
import sys

import torch
from sentence_transformers import SentenceTransformer

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parent / "tests" / "fixtures"
MAX_TOKENS = 256  # as fihris_embed::MAX_TOKENS


def main() -> None:
    model_dir = os.environ.get("FIHRIS_MODEL_DIR") or sys.exit("set FIHRIS_MODEL_DIR")
    torch.set_num_threads(2)
    model = SentenceTransformer(model_dir, device="cpu")
    model.max_seq_length = MAX_TOKENS
    texts = json.loads((FIXTURES / "parity-texts.json").read_text())["texts"]
    out = []
    for t in texts:
        prompt_name = "query" if t["kind"] == "query" else "document"
        prompt = model.prompts[prompt_name]
        ids = model.tokenizer(prompt + t["text"], truncation=True, max_length=MAX_TOKENS)["input_ids"]
        vec = model.encode([t["text"]], prompt_name=prompt_name, normalize_embeddings=True)[0]
        out.append({"kind": t["kind"], "text": t["text"], "ids": ids, "vector": [round(float(x), 7) for x in vec]})
    (FIXTURES / "parity.json").write_text(json.dumps({"model": "embeddinggemma-300m", "prompts": model.prompts, "texts": out}, ensure_ascii=False))
    print(len(out), "texts")


if __name__ == "__main__":
    main()
