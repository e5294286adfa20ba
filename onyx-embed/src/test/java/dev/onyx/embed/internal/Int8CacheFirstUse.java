package dev.onyx.embed.internal;

import dev.onyx.embed.ModelPrecision;
import dev.onyx.embed.ModelSource;
import java.nio.file.Path;

/**
 * A child process for {@code Int8CacheTest}: makes (or reuses) the int8 copy of the folder {@code args[0]} in the cache
 * {@code args[1]}, then prints the copy's path and how many quantizations this process ran.
 */
public final class Int8CacheFirstUse {
    private Int8CacheFirstUse() {}

    public static void main(String[] args) throws Exception {
        Path folder = Int8Cache.ensure(
                new ModelSource.Quantized(new ModelSource.Folder(Path.of(args[0])), ModelPrecision.INT8),
                line -> System.err.println(line),
                Path.of(args[1]));
        System.out.println(folder);
        System.out.println(Int8Cache.QUANTIZATIONS.get());
    }
}
