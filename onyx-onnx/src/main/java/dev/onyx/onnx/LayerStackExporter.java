package dev.onyx.onnx;

import dev.onyx.onnx.LayerStack.Step;
import dev.onyx.onnx.LayerStackSpec.InputType;
import dev.onyx.onnx.internal.ScalarConstants;
import java.util.List;
import java.util.Objects;

/**
 * Exports a {@link LayerStack} as an ONNX model with a dynamic batch axis; stateless and thread-safe.
 *
 * <p>Embedding → Gather; dense → MatMul + Add + activation; global average pooling → ReduceMean over the sequence
 * axis, or, after an embedding with {@code mask_zero}, {@code Σ(x·mask) / max(Σ mask, 1)}; dropout → Identity.
 */
public final class LayerStackExporter {
    private LayerStackExporter() {}

    public static ExportedModel export(LayerStack stack) {
        Objects.requireNonNull(stack, "stack");
        LayerStackSpec spec = stack.spec();
        OnnxGraphBuilder g = OnnxGraphBuilder.create(spec.name())
                .docString("Layer stack '" + spec.name() + "' exported by Onyx")
                .metadata("onyx.exporter", "layers")
                .metadata("onyx.layers.weights", describe(spec.weights()));
        ScalarConstants constants = new ScalarConstants(g);
        Dim batch = Dim.of("batch");
        ElementType inputType = switch (spec.input().type()) {
            case INT64 -> ElementType.INT64;
            case INT32 -> ElementType.INT32;
            case FLOAT -> ElementType.FLOAT;
        };
        ValueRef x = g.input(
                spec.input().name(), inputType, batch, Dim.of(spec.input().length()));
        ValueRef tokens = x;
        ValueRef mask = null;
        List<Step> steps = stack.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String prefix = "layer" + i;
            Layer layer = step.layer();
            if (layer instanceof Layer.Embedding e) {
                ValueRef table = g.initializer(prefix + "_embeddings", step.w(), e.vocab(), e.dim());
                x = g.node(Op.GATHER, prefix + "_out", List.of(table, tokens), Attribute.of("axis", 0L));
                mask = e.maskZero() ? mask(tokens, spec.input().type(), g, constants) : null;
            } else if (layer instanceof Layer.Dense d) {
                x = dense(prefix, step, d, x, g);
            } else if (layer instanceof Layer.GlobalAveragePooling1D) {
                x = mask == null
                        ? g.node(Op.REDUCE_MEAN, List.of(x), Attribute.ofInts("axes", 1L), Attribute.of("keepdims", 0L))
                        : maskedMean(x, mask, g, constants);
                mask = null;
            } else {
                x = g.node(Op.IDENTITY, List.of(x));
            }
        }
        ValueRef y = g.node(Op.IDENTITY, spec.outputName(), List.of(x));
        Dim features = Dim.of(stack.outputFeatures());
        if (stack.outputRank() == 3) {
            g.output(y, ElementType.FLOAT, batch, Dim.of(spec.input().length()), features);
        } else {
            g.output(y, ElementType.FLOAT, batch, features);
        }
        return g.build();
    }

    private static String describe(LayerStackSpec.Weights weights) {
        return weights instanceof LayerStackSpec.Seeded s
                ? "seeded:" + s.seed()
                : "safetensors:" + ((LayerStackSpec.Safetensors) weights).file().getFileName();
    }

    private static ValueRef dense(String prefix, Step step, Layer.Dense d, ValueRef x, OnnxGraphBuilder g) {
        ValueRef kernel = g.initializer(prefix + "_kernel", step.w(), step.featuresIn(), d.units());
        ValueRef bias = g.initializer(prefix + "_bias", step.b(), d.units());
        ValueRef z = g.node(Op.ADD, List.of(g.node(Op.MATMUL, List.of(x, kernel)), bias));
        return switch (d.activation()) {
            case LINEAR -> z;
            case RELU -> g.node(Op.RELU, List.of(z));
            case SIGMOID -> g.node(Op.SIGMOID, List.of(z));
            case TANH -> g.node(Op.TANH, List.of(z));
            case SOFTMAX -> g.node(Op.SOFTMAX, List.of(z), Attribute.of("axis", -1L));
        };
    }

    /** 1.0 where the token is not 0, else 0.0, as float {@code [batch, length]}. */
    private static ValueRef mask(ValueRef tokens, InputType type, OnnxGraphBuilder g, ScalarConstants k) {
        ValueRef zero = type == InputType.INT64
                ? g.initializer("pad_id", new long[] {0L})
                : g.initializer("pad_id", new int[] {0});
        ValueRef isPad = g.node(Op.EQUAL, List.of(tokens, zero));
        ValueRef padFloat = g.node(Op.CAST, List.of(isPad), Attribute.of("to", (long) ElementType.FLOAT.onnxCode()));
        return g.node(Op.SUB, "mask", List.of(k.of(1.0), padFloat));
    }

    private static ValueRef maskedMean(ValueRef x, ValueRef mask, OnnxGraphBuilder g, ScalarConstants k) {
        ValueRef axis1 = g.initializer("axis_1_" + x.name(), new long[] {1L}, 1);
        ValueRef axis2 = g.initializer("axis_2_" + x.name(), new long[] {2L}, 1);
        ValueRef mask3 = g.node(Op.UNSQUEEZE, List.of(mask, axis2));
        ValueRef sum =
                g.node(Op.REDUCE_SUM, List.of(g.node(Op.MUL, List.of(x, mask3)), axis1), Attribute.of("keepdims", 0L));
        ValueRef count = g.node(Op.REDUCE_SUM, List.of(mask, axis1), Attribute.of("keepdims", 1L));
        return g.node(Op.DIV, List.of(sum, g.node(Op.MAX, List.of(count, k.of(1.0)))));
    }
}
