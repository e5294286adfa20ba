package dev.onyx.spark.internal;

import dev.onyx.embed.Embedder;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Embeds one partition: reads rows in groups of {@code rowsPerBatch}, embeds their non-null texts with one call to the
 * executor's shared embedder, and appends the vector (or null, for a null text) as the last column. Rows come out in
 * the order they came in. Immutable and serializable (Spark ships it with every task); each {@link #call} returns its
 * own iterator, so tasks never share state.
 */
public final class EmbedPartition implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String model;
    private final PlainEmbedOptions options;
    private final int rowsPerBatch;
    private final int textColumn;

    public EmbedPartition(String model, PlainEmbedOptions options, int rowsPerBatch, int textColumn) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        this.rowsPerBatch = rowsPerBatch;
        this.textColumn = textColumn;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private Iterator<Row> batch = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                if (!batch.hasNext() && rows.hasNext()) {
                    batch = embedNext(rows).iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("partition has no more rows");
                }
                return batch.next();
            }
        };
    }

    /** Takes up to {@code rowsPerBatch} rows and returns them with their embeddings appended. */
    private List<Row> embedNext(Iterator<Row> rows) {
        List<Row> in = new ArrayList<>(rowsPerBatch);
        List<String> texts = new ArrayList<>(rowsPerBatch);
        while (in.size() < rowsPerBatch && rows.hasNext()) {
            Row row = rows.next();
            in.add(row);
            if (!row.isNullAt(textColumn)) {
                texts.add(row.getString(textColumn));
            }
        }
        // The model opens lazily, on the first row: a job whose partitions are all empty never loads it.
        Embedder embedder = ExecutorEmbedders.get(model, options);
        float[][] vectors = embedder.embed(texts).toArray();
        List<Row> out = new ArrayList<>(in.size());
        int next = 0;
        for (Row row : in) {
            float[] vector = row.isNullAt(textColumn) ? null : vectors[next++];
            out.add(withAppended(row, vector));
        }
        return out;
    }

    private static Row withAppended(Row row, float[] vector) {
        Object[] values = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        values[row.length()] = vector;
        return RowFactory.create(values);
    }
}
