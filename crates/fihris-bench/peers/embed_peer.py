"""The Python reference of meaning search, for `fihris-bench semantic`.

Reads a JSON object on standard input — {"model": folder, "queries": [...],
"focus": [...], "docs": [...]} — and writes on standard output the vectors
that sentence-transformers (the model's reference implementation) makes of
them, queries and focuses (the parts of queries read as their focus) with
the "query" prompt and documents with the "document" prompt, at most 256
tokens (as fihris_embed::MAX_TOKENS), on 2 threads, and the milliseconds
each query took, embedded one at a time as a server would:

    {"queries": [[...]], "focus": [[...]], "docs": [[...]], "query_ms": [...]}

Needs a Python with sentence-transformers and torch:

    python -m venv /tmp/ref && /tmp/ref/bin/pip install sentence-transformers torch
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
    # One warm-up query, as the Rust side has loaded its model too.
    model.encode_query(["warm-up"], normalize_embeddings=True)
    queries, query_ms = [], []
    for q in job["queries"]:
        started = time.perf_counter()
        v = model.encode_query([q], normalize_embeddings=True)[0]
        query_ms.append((time.perf_counter() - started) * 1000.0)
        queries.append([float(x) for x in v])
    focus = [model.encode_query([f], normalize_embeddings=True)[0] for f in job.get("focus", [])]
    docs = model.encode_document(job["docs"], normalize_embeddings=True, batch_size=8)
    json.dump(
        {
            "queries": queries,
            "focus": [[float(x) for x in f] for f in focus],
            "docs": [[float(x) for x in d] for d in docs],
            "query_ms": query_ms,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
