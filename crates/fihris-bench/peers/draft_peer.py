"""The Python reference for `fihris-bench draft`: how long sentence-transformers
(the model's reference implementation, torch on 2 threads) takes to embed a
draft's clauses as documents, at most 256 tokens each.

Reads {"model": folder, "texts": [...], "rounds": n} on standard input and
writes {"ms": [...]} (one time per round, after one warm-up) on standard
output.
"""

import json
import sys
import time

import torch
from sentence_transformers import SentenceTransformer


def main() -> None:
    job = json.load(sys.stdin)
    torch.set_num_threads(2)
    model = SentenceTransformer(job["model"], device="cpu")
    model.max_seq_length = 256
    model.encode_document(job["texts"][:2], normalize_embeddings=True)
    ms = []
    for _ in range(job["rounds"]):
        started = time.perf_counter()
        model.encode_document(job["texts"], normalize_embeddings=True, batch_size=16)
        ms.append((time.perf_counter() - started) * 1000.0)
    json.dump({"ms": ms}, sys.stdout)


if __name__ == "__main__":
    main()
