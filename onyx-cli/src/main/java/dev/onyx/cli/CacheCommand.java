package dev.onyx.cli;

import dev.onyx.embed.CacheMaintenance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code onyx cache list|prune}: what Onyx's cache holds, and pruning what no Onyx will read again; one thread. */
@Command(
        name = "cache",
        mixinStandardHelpOptions = true,
        description = {
            "Show or prune Onyx's cache (onyx.cache.dir, ONYX_CACHE, $XDG_CACHE_HOME/onyx or ~/.cache/onyx).",
            "Pruning is safe while other Onyx processes run; Onyx also prunes as it writes fused copies."
        },
        subcommands = {CacheCommand.ListCommand.class, CacheCommand.PruneCommand.class})
final class CacheCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "The cache's folders with their file counts and sizes, and what 'prune' would remove.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        VerboseOption verbose;

        @Override
        public Integer call() {
            Path cache = CacheMaintenance.directory();
            PrintWriter out = spec.commandLine().getOut();
            out.println("cache: " + cache);
            List<CacheMaintenance.Area> areas = CacheMaintenance.areas(cache);
            if (areas.isEmpty()) {
                out.println("(empty)");
            }
            for (CacheMaintenance.Area area : areas) {
                out.printf(Locale.ROOT, "%-22s %7d files %10s%n", area.name(), area.files(), size(area.bytes()));
            }
            List<Path> legacy = CacheMaintenance.legacy(cache);
            out.println(legacy.size() + " entries of an older Onyx's naming to prune");
            List<Path> int8 = CacheMaintenance.staleInt8(cache);
            out.println(int8.size() + " int8 entries of another quantizer or left over to prune");
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "prune",
            mixinStandardHelpOptions = true,
            description = {
                "Delete fused copies whose model files are gone or changed, entries of an older Onyx's naming"
                        + " (a day old or more), int8 copies of another quantizer (unused for a day, not locked),"
                        + " temporary files of writers that died and month-old index entries."
            })
    static final class PruneCommand implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        VerboseOption verbose;

        @Override
        public Integer call() {
            Path cache = CacheMaintenance.directory();
            CacheMaintenance.Pruned pruned = CacheMaintenance.prune(cache);
            PrintWriter out = spec.commandLine().getOut();
            out.println("pruned " + pruned.files().size() + " files (" + size(pruned.bytes()) + ") from " + cache);
            out.flush();
            return 0;
        }
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
