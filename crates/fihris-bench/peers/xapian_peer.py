"""Xapian 1.4 as a search peer for fihris-bench.

Reads {"docs": [{"id", "text"}], "queries": [str], "k": int} as JSON on
standard input, indexes the docs in memory with Xapian's Arabic Snowball
stemmer (STEM_SOME), runs each query with the default OR operator, and
writes {"results": [[id, ...], ...], "build_s": float, "query_s": [float]}
as JSON on standard output. Needs Debian's python3-xapian.
"""

import json
import sys
import time

import xapian


def main() -> None:
    spec = json.load(sys.stdin)
    stemmer = xapian.Stem("arabic")
    db = xapian.WritableDatabase("", xapian.DB_BACKEND_INMEMORY)
    gen = xapian.TermGenerator()
    gen.set_stemmer(stemmer)
    gen.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    start = time.perf_counter()
    for d in spec["docs"]:
        doc = xapian.Document()
        gen.set_document(doc)
        gen.index_text(d["text"])
        doc.set_data(d["id"])
        db.add_document(doc)
    db.commit()
    build_s = time.perf_counter() - start
    parser = xapian.QueryParser()
    parser.set_stemmer(stemmer)
    parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    parser.set_database(db)
    parser.set_default_op(xapian.Query.OP_OR)
    enquire = xapian.Enquire(db)
    results, times = [], []
    for q in spec["queries"]:
        t = time.perf_counter()
        enquire.set_query(parser.parse_query(q))
        ids = [m.document.get_data().decode("utf-8") for m in enquire.get_mset(0, spec["k"])]
        times.append(time.perf_counter() - t)
        results.append(ids)
    json.dump({"results": results, "build_s": build_s, "query_s": times}, sys.stdout)


if __name__ == "__main__":
    main()
