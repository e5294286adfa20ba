package dev.onyx.embed;

import dev.onyx.runtime.OnyxException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where and how {@link ModelHub} talks to a Hugging Face hub and keeps its files; an immutable record, safe to share.
 * {@link #toString()} never shows the token.
 *
 * @param endpoint the hub's base URL ({@code https://huggingface.co} unless {@code HF_ENDPOINT} says otherwise)
 * @param token a bearer token for gated or private repositories ({@code HF_TOKEN}), sent to the endpoint's host only
 * @param cacheDirectory the huggingface_hub cache ({@code HF_HUB_CACHE}, else {@code HF_HOME/hub}, else
 *     {@code ~/.cache/huggingface/hub}), shared with Python tools
 * @param offline whether to make no network request at all and use only the cache ({@code HF_HUB_OFFLINE=1})
 */
public record HubSettings(URI endpoint, Optional<String> token, Path cacheDirectory, boolean offline) {
    /** The public hub. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    private static final Set<String> TRUE = Set.of("1", "on", "yes", "true");

    public HubSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        String scheme = endpoint.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || endpoint.getHost() == null) {
            throw new OnyxException("hub endpoint '" + endpoint + "' is not an http:// or https:// URL");
        }
        String text = endpoint.toString();
        endpoint = text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : endpoint;
        token = token.map(String::strip).filter(t -> !t.isEmpty());
    }

    /** Settings from this process's environment variables (see {@link #fromEnvironment(Map)}). */
    public static HubSettings fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Settings from environment variables as huggingface_hub reads them: {@code HF_ENDPOINT}; {@code HF_TOKEN} (or
     * {@code HUGGING_FACE_HUB_TOKEN}); {@code HF_HUB_CACHE} (or {@code HUGGINGFACE_HUB_CACHE}), else
     * {@code $HF_HOME/hub}, else {@code $XDG_CACHE_HOME/huggingface/hub}, else {@code ~/.cache/huggingface/hub};
     * {@code HF_HUB_OFFLINE} = 1/true/yes/on.
     */
    public static HubSettings fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        URI endpoint = value(env, "HF_ENDPOINT").map(URI::create).orElse(DEFAULT_ENDPOINT);
        Optional<String> token = value(env, "HF_TOKEN").or(() -> value(env, "HUGGING_FACE_HUB_TOKEN"));
        Path home = value(env, "HF_HOME")
                .map(Path::of)
                .orElseGet(() -> value(env, "XDG_CACHE_HOME")
                        .map(xdg -> Path.of(xdg, "huggingface"))
                        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache", "huggingface")));
        Path cache = value(env, "HF_HUB_CACHE")
                .or(() -> value(env, "HUGGINGFACE_HUB_CACHE"))
                .map(Path::of)
                .orElse(home.resolve("hub"));
        boolean offline = value(env, "HF_HUB_OFFLINE")
                .map(v -> TRUE.contains(v.toLowerCase(Locale.ROOT)))
                .orElse(false);
        return new HubSettings(endpoint, token, cache, offline);
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    public HubSettings withEndpoint(URI endpoint) {
        return new HubSettings(endpoint, token, cacheDirectory, offline);
    }

    public HubSettings withToken(String token) {
        return new HubSettings(endpoint, Optional.of(Objects.requireNonNull(token, "token")), cacheDirectory, offline);
    }

    public HubSettings withCacheDirectory(Path cacheDirectory) {
        return new HubSettings(endpoint, token, cacheDirectory, offline);
    }

    public HubSettings withOffline(boolean offline) {
        return new HubSettings(endpoint, token, cacheDirectory, offline);
    }

    @Override
    public String toString() {
        return "HubSettings[endpoint=" + endpoint + ", token=" + (token.isPresent() ? "***" : "none")
                + ", cacheDirectory=" + cacheDirectory + ", offline=" + offline + "]";
    }
}
