package dev.onyx.neat;

/**
 * One genome ready to run, made by an {@link Evaluator}; used by one thread at a time, and the caller that got it from
 * {@link Evaluator#compile} closes it.
 *
 * <p>Inputs and outputs are float32, as an ONNX model sees them: both evaluators take the same float rows and give
 * float rows, so a task computes fitness from the same kind of numbers whichever evaluator runs.
 */
public interface Network extends AutoCloseable {
    /** Inputs per row. */
    int inputs();

    /** Outputs per row. */
    int outputs();

    /**
     * Runs a batch of rows.
     *
     * @param rows row-major inputs, {@code rowCount * inputs()} values
     * @return row-major outputs, {@code rowCount * outputs()} values
     * @throws NeatException if {@code rows.length} is not a multiple of {@link #inputs()}
     */
    float[] activate(float[] rows);

    /** Releases what the network holds; idempotent. */
    @Override
    void close();
}
