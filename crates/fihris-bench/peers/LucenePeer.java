// The lexical peer of `fihris-bench semantic`: Lucene 9's ArabicAnalyzer
// (its stopwords, normalization and light stemmer) with BM25 — the engine
// under Elasticsearch, OpenSearch and Solr.
//
// Reads the provisions (`id<TAB>text` per line) and the queries (one per
// line), indexes the provisions in memory, and prints for each query one
// line: the ids of its first 100 hits, tab-separated (an empty line when a
// query finds nothing). Query words are OR'ed, as Lucene's QueryParser
// does by default; its operators are escaped, so every query is words.
//
// Run with the jar shipped in the PyPI wheel pyserini==0.22.1
// (pyserini/resources/jars/anserini-0.22.1-fatjar.jar, Lucene 9) and
// Java 17's single-file launcher:
//
//   java -cp anserini-0.22.1-fatjar.jar LucenePeer.java docs.tsv queries.txt

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;

public class LucenePeer {
    public static void main(String[] args) throws Exception {
        ArabicAnalyzer analyzer = new ArabicAnalyzer();
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriterConfig config = new IndexWriterConfig(analyzer);
        config.setSimilarity(new BM25Similarity());
        try (IndexWriter w = new IndexWriter(dir, config)) {
            for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab < 0) continue;
                Document d = new Document();
                d.add(new StringField("id", line.substring(0, tab), Field.Store.YES));
                d.add(new TextField("text", line.substring(tab + 1), Field.Store.NO));
                w.addDocument(d);
            }
        }
        IndexSearcher searcher = new IndexSearcher(DirectoryReader.open(dir));
        searcher.setSimilarity(new BM25Similarity());
        QueryParser parser = new QueryParser("text", analyzer);
        List<String> queries = Files.readAllLines(Paths.get(args[1]), StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (String q : queries) {
            StringBuilder line = new StringBuilder();
            String escaped = QueryParser.escape(q).replace("AND", "and").replace("OR", "or").replace("NOT", "not");
            if (!escaped.isBlank()) {
                Query query = parser.parse(escaped);
                for (ScoreDoc hit : searcher.search(query, 100).scoreDocs) {
                    if (line.length() > 0) line.append('\t');
                    line.append(searcher.storedFields().document(hit.doc).get("id"));
                }
            }
            out.append(line).append('\n');
        }
        System.out.print(out);
    }
}
