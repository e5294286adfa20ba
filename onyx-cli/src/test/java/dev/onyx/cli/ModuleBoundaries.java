package dev.onyx.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the module layout and main sources of an Onyx checkout: which modules exist, which other modules' {@code
 * internal} packages each main source names, and which Onyx modules each module's main code uses versus declares in
 * its {@code pom.xml}. Plain text scanning (imports and qualified names), so it also sees a fully qualified use that
 * has no import. Not thread-safe state: each method reads the files afresh.
 */
final class ModuleBoundaries {
    private static final Pattern MODULE = Pattern.compile("<module>(onyx-[a-z0-9-]+)</module>");
    private static final Pattern INTERNAL_NAME =
            Pattern.compile("\\bdev\\.onyx\\.([a-z0-9]+)\\.internal(?:\\.[a-z0-9_]+)*\\.([A-Z][A-Za-z0-9_]*)");
    private static final Pattern ONYX_IMPORT =
            Pattern.compile("(?m)^import\\s+(?:static\\s+)?dev\\.onyx\\.([a-z0-9]+)\\.");
    private static final Pattern DEPENDENCY = Pattern.compile("(?s)<dependency>(.*?)</dependency>");
    private static final Pattern ARTIFACT = Pattern.compile("<artifactId>\\s*(onyx-[a-z0-9-]+)\\s*</artifactId>");
    private static final Pattern SCOPE = Pattern.compile("<scope>\\s*([a-z]+)\\s*</scope>");

    /** A main source that names a class in another module's internal package. */
    record Violation(String file, String internalClass) implements Comparable<Violation> {
        @Override
        public int compareTo(Violation o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return file + " " + internalClass;
        }
    }

    private final Path root;

    ModuleBoundaries(Path root) {
        this.root = root;
    }

    /** The checkout holding the current module: the nearest folder above the working directory listing modules. */
    static Path checkoutRoot() {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path pom = d.resolve("pom.xml");
            if (Files.isRegularFile(pom) && MODULE.matcher(read(pom)).find()) {
                return d;
            }
        }
        throw new IllegalStateException("no pom.xml with <module> entries above " + dir);
    }

    /** Module folder names from the root pom, e.g. {@code onyx-embed}. */
    List<String> modules() {
        List<String> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(read(root.resolve("pom.xml")));
        while (m.find()) {
            modules.add(m.group(1));
        }
        return modules;
    }

    /** Every main source, relative to the root, in every module. */
    List<Path> mainSources() {
        List<Path> files = new ArrayList<>();
        for (String module : modules()) {
            Path main = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(main)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(main)) {
                walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> files.add(root.relativize(p)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** Each main source naming another module's internal class, once per (file, class). */
    Set<Violation> internalUses() {
        Set<Violation> found = new TreeSet<>();
        for (Path file : mainSources()) {
            String own = shortName(file.getName(0).toString());
            Matcher m = INTERNAL_NAME.matcher(read(root.resolve(file)));
            while (m.find()) {
                if (!m.group(1).equals(own)) {
                    found.add(new Violation(slashes(file), m.group()));
                }
            }
        }
        return found;
    }

    /** For each module, the other Onyx modules its main sources import but its pom does not declare (main scope). */
    TreeMap<String, Set<String>> undeclaredDependencies() {
        TreeMap<String, Set<String>> missing = new TreeMap<>();
        List<String> modules = modules();
        for (String module : modules) {
            Set<String> used = new TreeSet<>();
            for (Path file : mainSources()) {
                if (!file.getName(0).toString().equals(module)) {
                    continue;
                }
                Matcher m = ONYX_IMPORT.matcher(read(root.resolve(file)));
                while (m.find()) {
                    String pkg = m.group(1);
                    modules.stream()
                            .filter(candidate -> shortName(candidate).equals(pkg) && !candidate.equals(module))
                            .forEach(used::add);
                }
            }
            if (!used.isEmpty()) {
                used.removeAll(declaredDependencies(module));
            }
            if (!used.isEmpty()) {
                missing.put(module, used);
            }
        }
        return missing;
    }

    /** Onyx modules in the module's own {@code <dependencies>} with compile or provided scope (not management). */
    Set<String> declaredDependencies(String module) {
        String pom = read(root.resolve(module).resolve("pom.xml"))
                .replaceAll("(?s)<dependencyManagement>.*?</dependencyManagement>", "")
                .replaceAll("(?s)<profiles>.*?</profiles>", "")
                .replaceAll("(?s)<build>.*?</build>", "");
        Set<String> declared = new TreeSet<>();
        Matcher dependency = DEPENDENCY.matcher(pom);
        while (dependency.find()) {
            Matcher artifact = ARTIFACT.matcher(dependency.group(1));
            Matcher scope = SCOPE.matcher(dependency.group(1));
            String s = scope.find() ? scope.group(1) : "compile";
            if (artifact.find() && (s.equals("compile") || s.equals("provided"))) {
                declared.add(artifact.group(1));
            }
        }
        return declared;
    }

    /** The package segment of a module: {@code onyx-spring-ai} → {@code springai}, the starter's {@code springboot}. */
    private static String shortName(String module) {
        return module.substring("onyx-".length()).replaceAll("-starter$", "").replace("-", "");
    }

    private static String slashes(Path file) {
        return file.toString().replace('\\', '/');
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
