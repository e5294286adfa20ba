package dev.onyx.embed;

import dev.onyx.onnx.Attribute;
import dev.onyx.onnx.Dim;
import dev.onyx.onnx.ElementType;
import dev.onyx.onnx.OnnxGraphBuilder;
import dev.onyx.onnx.Op;
import dev.onyx.onnx.ValueRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A tiny fp32 encoder as a sentence-transformers folder (MiniLM's tokenizer, embeddings of width 32 → MatMul + bias → Tanh
 * → MatMul + bias, as BERT's projections are): Onyx quantizes it in a second or two, so tests of the int8 cache need not quantize MiniLM. Fixed seed, so the
 * same bytes (and cache key) on every run. Shared with onyx-cli's and onyx-spark's tests through onyx-embed's test-jar.
 */
public final class TinyEncoder {
    static final int VOCAB = 30_522;
    static final int WIDTH = 32;

    private TinyEncoder() {}

    /** Writes the folder (created if missing) and returns it. */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(17);
        OnnxGraphBuilder graph = OnnxGraphBuilder.create("tiny-encoder");
        ValueRef ids = graph.input("input_ids", ElementType.INT64, Dim.of("batch"), Dim.of("sequence"));
        graph.input("attention_mask", ElementType.INT64, Dim.of("batch"), Dim.of("sequence"));
        // every token shares a direction, as real embeddings do, so mean pooling does not average the signal away
        float[] embeddings = values(random, VOCAB * WIDTH, 0.3f);
        float[] shared = values(random, WIDTH, 0.5f);
        for (int i = 0; i < embeddings.length; i++) embeddings[i] += shared[i % WIDTH];
        ValueRef table = graph.initializer("embeddings", embeddings, VOCAB, WIDTH);
        ValueRef first = graph.initializer("w1", values(random, WIDTH * WIDTH, 0.2f), WIDTH, WIDTH);
        ValueRef second = graph.initializer("w2", values(random, WIDTH * WIDTH, 0.2f), WIDTH, WIDTH);
        ValueRef bias1 = graph.initializer("b1", values(random, WIDTH, 0.1f), WIDTH);
        ValueRef bias2 = graph.initializer("b2", values(random, WIDTH, 0.1f), WIDTH);
        ValueRef embedded = graph.node(Op.GATHER, List.of(table, ids), Attribute.of("axis", 0L));
        ValueRef projected = graph.node(Op.ADD, List.of(graph.node(Op.MATMUL, List.of(embedded, first)), bias1));
        ValueRef hidden = graph.node(Op.TANH, List.of(projected));
        ValueRef out =
                graph.node(Op.ADD, "last_hidden_state", List.of(graph.node(Op.MATMUL, List.of(hidden, second)), bias2));
        graph.output(out, ElementType.FLOAT, Dim.of("batch"), Dim.of("sequence"), Dim.of(WIDTH));
        graph.writeTo(dir.resolve("model.onnx"));
        try (InputStream tokenizer =
                TinyEncoder.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            if (tokenizer == null) throw new IOException("MiniLM's tokenizer.json is not on the classpath");
            Files.copy(tokenizer, dir.resolve("tokenizer.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": " + VOCAB + "}");
        Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 128}");
        return dir;
    }

    /**
     * Gaussian values, as trained weights are. Uniform ones quantize badly on x86 without VNNI: ONNX Runtime's u8·s8
     * kernel there adds pairs of products in 16 bits, which weights spread evenly up to ±127 overflow.
     */
    private static float[] values(Random random, int n, float scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (random.nextGaussian() * scale);
        return v;
    }
}
