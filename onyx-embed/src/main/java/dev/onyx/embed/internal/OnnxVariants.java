package dev.onyx.embed.internal;

import dev.onyx.runtime.OnyxException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which ONNX file of a sentence-transformers folder or hub repository to run; stateless, so thread-safe.
 *
 * <p>No variant: {@code onnx/model.onnx}, else {@code model.onnx}. Variant {@code V}: {@code onnx/model_V.onnx}, else
 * {@code model_V.onnx} (so {@code quantized} picks {@code onnx/model_quantized.onnx}); a variant ending in
 * {@code .onnx} is taken as the file's path inside the folder.
 */
public final class OnnxVariants {
    private static final Pattern VARIANT_FILE = Pattern.compile("(?:onnx/)?model_(.+)\\.onnx");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-/]*");

    private OnnxVariants() {}

    /** The relative paths to try, in order. */
    public static List<String> candidates(Optional<String> variant) {
        if (variant.isEmpty()) {
            return List.of("onnx/model.onnx", "model.onnx");
        }
        String v = variant.get();
        if (!SAFE.matcher(v).matches() || v.contains("..")) {
            throw new OnyxException("variant '" + v
                    + "' is not a variant name (letters, digits, '_', '-', '.') or a relative path to an .onnx file");
        }
        if (v.endsWith(".onnx")) {
            return List.of(v);
        }
        return List.of("onnx/model_" + v + ".onnx", "model_" + v + ".onnx");
    }

    /** The variant names among relative file paths (for error messages), e.g. {@code [O1, quantized]}. */
    public static List<String> variantsIn(Collection<String> relativePaths) {
        return relativePaths.stream()
                .map(VARIANT_FILE::matcher)
                .filter(Matcher::matches)
                .map(m -> m.group(1))
                .distinct()
                .sorted()
                .toList();
    }

    /** What the candidates mean, for error messages. */
    public static String describe(Optional<String> variant) {
        return variant.map(v -> "variant '" + v + "' (" + String.join(" or ", candidates(variant)) + ")")
                .orElse("the default ONNX file (onnx/model.onnx or model.onnx)");
    }
}
