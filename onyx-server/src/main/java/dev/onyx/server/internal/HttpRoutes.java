package dev.onyx.server.internal;

import dev.onyx.server.internal.HttpEdge.Action;
import dev.onyx.server.internal.HttpEdge.Shape;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The server's route table: registers each route through the {@link HttpEdge}, remembers which methods each path
 * answers, and registers last a fallback for everything else: 405 with {@code Allow} for a known path and a wrong
 * method, 404 for an unknown path, in OpenAI's error shape under {@code /v1} and TEI's elsewhere, and CORS preflights.
 * Used while the server is configured (one thread); the handlers it registers are thread-safe.
 */
public final class HttpRoutes {
    /** Path parameter that matches the rest of the path, slashes included (model ids such as {@code org/name}). */
    private static final String REST = "<id>";

    private static final List<HandlerType> FALLBACK_METHODS = List.of(
            HandlerType.GET,
            HandlerType.POST,
            HandlerType.PUT,
            HandlerType.PATCH,
            HandlerType.DELETE,
            HandlerType.OPTIONS);

    private final RoutesConfig routes;
    private final HttpEdge edge;
    private final Cors cors;
    private final Map<String, TreeSet<String>> methods = new LinkedHashMap<>();

    public HttpRoutes(RoutesConfig routes, HttpEdge edge, Cors cors) {
        this.routes = routes;
        this.edge = edge;
        this.cors = cors;
        routes.before(cors::decorate);
    }

    public HttpRoutes get(String path, Shape shape, boolean requiresKey, Action action) {
        return add(HandlerType.GET, path, shape, requiresKey, action);
    }

    public HttpRoutes post(String path, Shape shape, boolean requiresKey, Action action) {
        return add(HandlerType.POST, path, shape, requiresKey, action);
    }

    private HttpRoutes add(HandlerType method, String path, Shape shape, boolean requiresKey, Action action) {
        routes.addHttpHandler(method, path, edge.handler(path, shape, requiresKey, action));
        methods.computeIfAbsent(path, p -> new TreeSet<>()).add(method.name());
        return this;
    }

    /** Registers the fallbacks; call after every route. */
    public void finish() {
        for (HandlerType method : FALLBACK_METHODS) {
            routes.addHttpHandler(method, "/*", ctx -> fallback(ctx, method));
            if (!methods.getOrDefault("/", new TreeSet<>()).contains(method.name())) {
                routes.addHttpHandler(method, "/", ctx -> fallback(ctx, method)); // "/*" does not match "/"
            }
        }
    }

    private void fallback(Context ctx, HandlerType method) throws Exception {
        String path = ctx.path();
        List<String> allowed = allowed(path);
        if (method == HandlerType.OPTIONS
                && cors.preflight(ctx, allowed.isEmpty() ? List.of("GET", "POST") : allowed)) {
            return;
        }
        Shape shape = path.equals("/v1") || path.startsWith("/v1/") ? Shape.OPENAI : Shape.TEI;
        edge.handler("unmatched", shape, false, c -> {
                    if (allowed.isEmpty()) {
                        throw new ApiException(
                                ErrorKind.ROUTE_NOT_FOUND,
                                null,
                                "Invalid URL (" + method.name() + " " + path + "): no such route; routes: "
                                        + routeList());
                    }
                    c.header("Allow", String.join(", ", allowed));
                    throw new ApiException(
                            ErrorKind.METHOD_NOT_ALLOWED,
                            null,
                            method.name() + " is not allowed on " + path + "; allowed: " + String.join(", ", allowed));
                })
                .handle(ctx);
    }

    private List<String> allowed(String path) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, TreeSet<String>> entry : methods.entrySet()) {
            if (matches(entry.getKey(), path)) {
                for (String m : entry.getValue()) if (!out.contains(m)) out.add(m);
            }
        }
        return out;
    }

    private static boolean matches(String pattern, String path) {
        if (pattern.endsWith(REST)) {
            String prefix = pattern.substring(0, pattern.length() - REST.length());
            return path.startsWith(prefix) && path.length() > prefix.length();
        }
        return pattern.equals(path);
    }

    private String routeList() {
        List<String> out = new ArrayList<>();
        methods.forEach((path, ms) -> out.add(String.join("|", ms) + " " + path.replace(REST, "{id}")));
        return String.join(", ", out);
    }
}
