package dev.onyx.springboot;

import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelInfo;
import java.util.Objects;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Actuator health of the Onyx embedder: UP when a probe inference succeeds ({@link Embedder#health()}), DOWN with the
 * reason otherwise; details name the model and the device actually in use. Thread-safe.
 */
public final class OnyxHealthIndicator implements HealthIndicator {
    private final Embedder embedder;

    public OnyxHealthIndicator(Embedder embedder) {
        this.embedder = Objects.requireNonNull(embedder, "embedder");
    }

    @Override
    public Health health() {
        dev.onyx.embed.Health probe = embedder.health();
        ModelInfo info = embedder.info();
        Health.Builder builder = probe.healthy() ? Health.up() : Health.down();
        return builder.withDetail("model", info.name())
                .withDetail("device", info.device().label())
                .withDetail("dimension", info.dimension())
                .withDetail("latencyMillis", probe.latencyMillis())
                .withDetail("detail", probe.detail())
                .build();
    }
}
