package dev.onyx.onnx;

import java.util.Objects;
import java.util.Optional;

/**
 * One layer of a Keras-like layer stack; a closed set of immutable, thread-safe values.
 *
 * <p>The optional tensor names say where a layer's weights are in a {@code .safetensors} file; they are ignored for
 * seeded weights.
 */
public sealed interface Layer {

    /** Token ids to vectors (ONNX Gather); {@code maskZero} makes a later average pooling skip id 0, as Keras does. */
    record Embedding(int vocab, int dim, boolean maskZero, Optional<String> embeddingsTensor) implements Layer {
        public Embedding {
            positive("embedding vocab", vocab);
            positive("embedding dim", dim);
            Objects.requireNonNull(embeddingsTensor, "embeddingsTensor");
        }
    }

    /** {@code activation(x · kernel + bias)} with a Keras-layout kernel {@code [in, units]}. */
    record Dense(int units, DenseActivation activation, Optional<String> kernelTensor, Optional<String> biasTensor)
            implements Layer {
        public Dense {
            positive("dense units", units);
            Objects.requireNonNull(activation, "activation");
            Objects.requireNonNull(kernelTensor, "kernelTensor");
            Objects.requireNonNull(biasTensor, "biasTensor");
        }
    }

    /** Mean over the sequence axis; a masked mean when an embedding with {@code mask_zero} comes before. */
    record GlobalAveragePooling1D() implements Layer {}

    /** Identity at inference; {@code rate} is kept for the record and must be in [0, 1). */
    record Dropout(double rate) implements Layer {
        public Dropout {
            if (!(rate >= 0 && rate < 1)) {
                throw new OnnxBuildException("dropout rate must be in [0, 1), got " + rate);
            }
        }
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new OnnxBuildException(what + " must be >= 1, got " + value);
        }
    }
}
