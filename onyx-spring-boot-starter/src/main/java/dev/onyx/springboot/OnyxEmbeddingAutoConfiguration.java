package dev.onyx.springboot;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.Embedder;
import dev.onyx.embed.ModelSource;
import dev.onyx.springai.EmbeddingObserver;
import dev.onyx.springai.OnyxEmbeddingModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Creates an Onyx {@link Embedder} and a Spring AI {@link EmbeddingModel} on it from the {@code onyx.embedding.*}
 * properties, plus an Actuator health indicator and Micrometer meters when those are on the classpath. The
 * {@code EmbeddingModel} backs off when the application defines its own. The embedder is closed with the context.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"
        })
@ConditionalOnClass(OnyxEmbeddingModel.class)
@EnableConfigurationProperties(OnyxEmbeddingProperties.class)
public class OnyxEmbeddingAutoConfiguration {
    private static final String PREFIX = OnyxEmbeddingProperties.PREFIX + ".";

    /** Opens the model at startup, so a bad model or device fails the context start naming the property. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Embedder onyxEmbedder(OnyxEmbeddingProperties properties) {
        EmbedOptions options = properties.toOptions();
        String model = properties.getModel();
        ModelSource source = OnyxEmbeddingProperties.parse("model", model, () -> ModelSource.parse(model));
        try {
            return Embedder.open(source, options);
        } catch (IOException e) {
            throw new IllegalStateException(PREFIX + "model=" + model + " cannot be opened: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    PREFIX + "model=" + model + " (device " + properties.getDevice() + ") cannot be opened: "
                            + e.getMessage(),
                    e);
        }
    }

    @Bean
    @ConditionalOnMissingBean(EmbeddingModel.class)
    public OnyxEmbeddingModel onyxEmbeddingModel(
            Embedder embedder, OnyxEmbeddingProperties properties, ObjectProvider<EmbeddingObserver> observer) {
        OnyxEmbeddingModel.Builder builder = OnyxEmbeddingModel.builder()
                .embedder(embedder)
                .observer(observer.getIfAvailable(() -> EmbeddingObserver.NONE));
        if (properties.getQueryPromptName() != null) {
            builder.queryPromptName(checkPrompt(embedder, "query-prompt-name", properties.getQueryPromptName()));
        }
        if (properties.getDocumentPromptName() != null) {
            builder.documentPromptName(
                    checkPrompt(embedder, "document-prompt-name", properties.getDocumentPromptName()));
        }
        Integer dims = properties.getDimensions();
        if (dims != null) {
            if (dims < 1 || dims > embedder.dimension()) {
                throw new IllegalArgumentException(PREFIX + "dimensions=" + dims + " is not valid: model "
                        + embedder.info().name() + " has " + embedder.dimension() + " dimensions; allowed: 1.."
                        + embedder.dimension());
            }
            builder.dimensions(dims);
        }
        return builder.build();
    }

    private static String checkPrompt(Embedder embedder, String property, String name) {
        if (!embedder.prompts().containsKey(name)) {
            throw new IllegalArgumentException(PREFIX + property + "=" + name + " is not valid: prompt '" + name
                    + "' is not one of model " + embedder.info().name() + "'s prompts "
                    + embedder.prompts().keySet());
        }
        return name;
    }

    /** Actuator's {@code /actuator/health} component {@code onyx}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "onyxHealthIndicator")
        OnyxHealthIndicator onyxHealthIndicator(Embedder embedder) {
            return new OnyxHealthIndicator(embedder);
        }
    }

    /** Meters {@code onyx.embedding.texts}, {@code onyx.embedding.tokens} and the timer {@code onyx.embedding.latency}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Metrics {
        @Bean
        @ConditionalOnBean(MeterRegistry.class)
        @ConditionalOnMissingBean
        EmbeddingObserver onyxMeterObserver(MeterRegistry registry) {
            Counter texts = Counter.builder("onyx.embedding.texts")
                    .description("texts embedded")
                    .register(registry);
            Counter tokens = Counter.builder("onyx.embedding.tokens")
                    .description("tokens fed to the model, prompts and special tokens included")
                    .register(registry);
            Timer latency = Timer.builder("onyx.embedding.latency")
                    .description("wall time of one embedding call")
                    .register(registry);
            return (n, t, nanos) -> {
                texts.increment(n);
                tokens.increment(t);
                latency.record(nanos, TimeUnit.NANOSECONDS);
            };
        }
    }
}
