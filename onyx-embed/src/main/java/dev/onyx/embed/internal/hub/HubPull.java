package dev.onyx.embed.internal.hub;

import dev.onyx.embed.DownloadListener;
import dev.onyx.embed.HubException;
import dev.onyx.embed.HubSettings;
import dev.onyx.embed.internal.OnnxVariants;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Brings a hub model's files into the huggingface_hub cache and returns its snapshot folder; stateless, thread-safe.
 *
 * <p>Cache first: when the revision's snapshot already holds {@code tokenizer.json} and the wanted ONNX file, no
 * request is made. Otherwise the revision API lists the files; the sentence-transformers configuration files, the
 * tokenizer and the one ONNX file (plus its external data) are fetched, each skipped when its blob is cached.
 */
public final class HubPull {
    private static final List<String> CONFIG_FILES = List.of(
            "config.json",
            "tokenizer.json",
            "tokenizer_config.json",
            "special_tokens_map.json",
            "modules.json",
            "sentence_bert_config.json",
            "config_sentence_transformers.json");
    private static final Pattern MODULE_CONFIG = Pattern.compile("\\d+_[A-Za-z]+/config\\.json");
    private static final ConcurrentHashMap<Path, Object> BLOB_LOCKS = new ConcurrentHashMap<>();

    private HubPull() {}

    public static Path pull(
            HubSettings settings, String repo, String revision, Optional<String> variant, DownloadListener listener)
            throws IOException {
        HubCache cache = new HubCache(settings.cacheDirectory(), repo);
        Optional<String> cachedCommit = cache.commitFor(revision);
        if (cachedCommit.isPresent()
                && missing(cache.snapshot(cachedCommit.get()), variant).isEmpty()) {
            return cache.snapshot(cachedCommit.get());
        }
        if (settings.offline()) {
            throw offline(cache, repo, revision, cachedCommit, variant);
        }
        HubHttp http = new HubHttp(settings);
        HubHttp.RepoInfo info = http.repoInfo(repo, revision);
        for (String file : select(info.files(), variant, repo + "@" + revision)) {
            fetch(http, cache, repo, info.commit(), file, listener);
        }
        cache.writeRef(revision, info.commit());
        return cache.snapshot(info.commit());
    }

    private static void fetch(
            HubHttp http, HubCache cache, String repo, String commit, String file, DownloadListener listener)
            throws IOException {
        if (Files.isRegularFile(cache.snapshot(commit).resolve(file))) {
            return;
        }
        URI url = http.resolveUrl(repo, commit, file);
        HubHttp.FileMeta meta = http.head(repo, url, file);
        if (meta.commit().isPresent() && !meta.commit().get().equals(commit)) {
            throw new HubException("hub resolved " + file + " of " + repo + " at commit "
                    + meta.commit().get() + ", but the revision API said " + commit + "; run again");
        }
        Path blob = cache.blob(meta.etag());
        synchronized (BLOB_LOCKS.computeIfAbsent(blob, b -> new Object())) {
            if (!Files.isRegularFile(blob)) {
                BlobDownload.download(
                        http, url, meta, cache.incomplete(meta.etag()), blob, repo + "/" + file, listener);
            } else {
                long size = Files.size(blob);
                listener.progress(repo + "/" + file, size, size);
            }
        }
        cache.link(commit, file, blob);
    }

    /** The files to fetch: configuration, tokenizer, the variant's ONNX file and its external data. */
    static List<String> select(List<String> files, Optional<String> variant, String label) throws HubException {
        if (!files.contains("tokenizer.json")) {
            throw new HubException(label + " has no tokenizer.json; Onyx needs a Hugging Face fast tokenizer");
        }
        List<String> out = new ArrayList<>();
        for (String file : files) {
            if (CONFIG_FILES.contains(file) || MODULE_CONFIG.matcher(file).matches()) {
                out.add(file);
            }
        }
        String onnx = OnnxVariants.candidates(variant).stream()
                .filter(files::contains)
                .findFirst()
                .orElseThrow(() -> new HubException(label + " has no file for " + OnnxVariants.describe(variant)
                        + "; ONNX variants in the repository: " + OnnxVariants.variantsIn(files)));
        out.add(onnx);
        for (String data : List.of(onnx + "_data", onnx + ".data")) {
            if (files.contains(data)) out.add(data);
        }
        return out;
    }

    /** What a snapshot lacks to be opened: tokenizer.json or the variant's ONNX file; empty when complete. */
    private static Optional<String> missing(Path snapshot, Optional<String> variant) {
        if (!Files.isRegularFile(snapshot.resolve("tokenizer.json"))) {
            return Optional.of("tokenizer.json");
        }
        List<String> candidates = OnnxVariants.candidates(variant);
        if (candidates.stream().noneMatch(c -> Files.isRegularFile(snapshot.resolve(c)))) {
            return Optional.of(candidates.get(0));
        }
        return Optional.empty();
    }

    private static HubException offline(
            HubCache cache, String repo, String revision, Optional<String> commit, Optional<String> variant) {
        if (commit.isEmpty()) {
            return new HubException("HF_HUB_OFFLINE is set and revision '" + revision + "' of " + repo
                    + " is not in the cache (no " + cache.refFile(revision) + "); pull it once while online");
        }
        Path snapshot = cache.snapshot(commit.get());
        String file = missing(snapshot, variant).orElseThrow();
        return new HubException("HF_HUB_OFFLINE is set and " + file + " of " + repo + "@" + revision
                + " is not in the cache (missing: " + snapshot.resolve(file) + "); pull it once while online");
    }
}
