package dev.onyx.onnx.internal;

import dev.onyx.onnx.Attribute;
import dev.onyx.onnx.NeatActivation;
import dev.onyx.onnx.OnnxGraphBuilder;
import dev.onyx.onnx.Op;
import dev.onyx.onnx.ValueRef;
import java.util.List;

/**
 * Emits ONNX nodes computing a {@link NeatActivation} of an already pre-scaled input (the exporter folds {@link
 * NeatActivation#preScale()} into weights and bias); stateless and thread-safe.
 */
public final class NeatActivationGraph {
    private NeatActivationGraph() {}

    public static ValueRef emit(NeatActivation activation, ValueRef z, OnnxGraphBuilder g, ScalarConstants k) {
        return switch (activation) {
            case SIGMOID -> g.node(Op.SIGMOID, List.of(clip(z, -60, 60, g, k)));
            case TANH -> g.node(Op.TANH, List.of(clip(z, -60, 60, g, k)));
            case SIN -> g.node(Op.SIN, List.of(clip(z, -60, 60, g, k)));
            case GAUSS -> {
                ValueRef c = clip(z, -3.4, 3.4, g, k);
                ValueRef square = g.node(Op.MUL, List.of(c, c));
                yield g.node(Op.EXP, List.of(g.node(Op.MUL, List.of(square, k.of(-5.0)))));
            }
            case RELU -> g.node(Op.RELU, List.of(z));
            case ELU -> g.node(Op.ELU, List.of(z), Attribute.of("alpha", 1.0f));
            case LELU -> g.node(Op.LEAKY_RELU, List.of(z), Attribute.of("alpha", (float) NeatActivation.LELU_LEAK));
            case SELU ->
                g.node(
                        Op.SELU,
                        List.of(z),
                        Attribute.of("alpha", (float) NeatActivation.SELU_ALPHA),
                        Attribute.of("gamma", (float) NeatActivation.SELU_LAMBDA));
            case SOFTPLUS -> g.node(Op.MUL, List.of(g.node(Op.SOFTPLUS, List.of(clip(z, -60, 60, g, k))), k.of(0.2)));
            case IDENTITY -> g.node(Op.IDENTITY, List.of(z));
            case CLAMPED -> clip(z, -1, 1, g, k);
            case INV -> {
                ValueRef isZero = g.node(Op.EQUAL, List.of(z, k.of(0.0)));
                yield g.node(Op.WHERE, List.of(isZero, k.of(0.0), g.node(Op.RECIPROCAL, List.of(z))));
            }
            case LOG -> g.node(Op.LOG, List.of(g.node(Op.MAX, List.of(z, k.of(1e-7)))));
            case EXP -> g.node(Op.EXP, List.of(clip(z, -60, 60, g, k)));
            case ABS -> g.node(Op.ABS, List.of(z));
            case HAT -> g.node(Op.RELU, List.of(g.node(Op.SUB, List.of(k.of(1.0), g.node(Op.ABS, List.of(z))))));
            case SQUARE -> g.node(Op.MUL, List.of(z, z));
            case CUBE -> g.node(Op.MUL, List.of(g.node(Op.MUL, List.of(z, z)), z));
        };
    }

    private static ValueRef clip(ValueRef z, double low, double high, OnnxGraphBuilder g, ScalarConstants k) {
        return g.node(Op.CLIP, List.of(z, k.of(low), k.of(high)));
    }
}
