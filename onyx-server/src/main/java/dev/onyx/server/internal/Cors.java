package dev.onyx.server.internal;

import io.javalin.http.Context;
import java.util.List;
import java.util.Set;

/**
 * Cross-origin resource sharing for browser pages: adds {@code Access-Control-Allow-Origin} to the answers for an
 * allowed {@code Origin} and answers preflight requests. Configured with no origins, it adds nothing (a browser page
 * from another origin cannot read the answers). Immutable, so thread-safe.
 *
 * <p>Like text-embeddings-inference's {@code --cors-allow-origin}: GET and POST are allowed; the headers a preflight
 * asks for are allowed (mirrored), so that {@code Authorization} and the SDKs' own headers pass.
 */
public final class Cors {
    private static final long MAX_AGE_SECONDS = 600;

    private final boolean any;
    private final Set<String> origins;

    public Cors(List<String> origins) {
        this.any = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    public boolean enabled() {
        return !origins.isEmpty();
    }

    /** Before every route: marks the answer readable by the calling page when its origin is allowed. */
    public void decorate(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || !enabled()) {
            return;
        }
        if (any) {
            ctx.header("Access-Control-Allow-Origin", "*");
        } else if (origins.contains(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
        } else {
            ctx.header("Vary", "Origin");
        }
    }

    /**
     * Answers a preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) with 204 and
     * returns true; returns false (nothing written) for any other request. A preflight from an origin that is not
     * allowed gets 204 without the allowing headers, so the browser blocks the real request.
     */
    public boolean preflight(Context ctx, List<String> allowedMethods) {
        String origin = ctx.header("Origin");
        String method = ctx.header("Access-Control-Request-Method");
        if (!enabled() || origin == null || method == null) {
            return false;
        }
        if (any || origins.contains(origin)) {
            ctx.header("Access-Control-Allow-Methods", String.join(", ", allowedMethods));
            String headers = ctx.header("Access-Control-Request-Headers");
            if (headers != null && !headers.isBlank()) {
                ctx.header("Access-Control-Allow-Headers", headers);
                ctx.header("Vary", "Origin, Access-Control-Request-Headers");
            }
            ctx.header("Access-Control-Max-Age", Long.toString(MAX_AGE_SECONDS));
        }
        ctx.status(204);
        return true;
    }
}
