package dev.onyx.springboot;

import dev.onyx.embed.EmbedOptions;
import dev.onyx.embed.LongTextPolicy;
import dev.onyx.runtime.Device;
import dev.onyx.runtime.OnyxException;
import dev.onyx.runtime.RuntimeOptions;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code onyx.embedding.*} properties; a mutable bean bound once by Spring Boot at startup, then only read.
 * Invalid values fail the context start with a message naming the property, the value and what is allowed.
 */
@ConfigurationProperties(prefix = OnyxEmbeddingProperties.PREFIX)
public class OnyxEmbeddingProperties {
    public static final String PREFIX = "onyx.embedding";

    /**
     * The model: a catalog name (all-minilm-l6-v2, bge-small-en-v1.5, e5-small-v2, their -q int8 variants), a
     * sentence-transformers folder, or a Hugging Face repository ORG/NAME.
     */
    private String model = "all-minilm-l6-v2";

    /** Where ONNX Runtime runs the model: auto, cpu, cuda, coreml or directml. */
    private String device = "auto";

    /** Fail at startup instead of falling back to the CPU when the device cannot be used. */
    private boolean strictDevice = false;

    /** What happens to texts longer than the model's maximum: truncate, chunk or error. */
    private String longText = "truncate";

    /** Most texts in one inference batch (Onyx's default: 16). */
    private Integer maxBatchSize;

    /** ONNX Runtime intra-op threads; 0 means one per processor (the default). */
    private Integer intraOpThreads;

    /** The model prompt for queries (default: "query" when the model has one, as E5 and BGE do). */
    private String queryPromptName;

    /** The model prompt for documents (default: "passage" or "document" when the model has one, as E5 does). */
    private String documentPromptName;

    /** Keep only the first N dimensions of every vector (Matryoshka truncation, re-normalized). */
    private Integer dimensions;

    /** Onyx's options from these properties. */
    EmbedOptions toOptions() {
        EmbedOptions defaults = EmbedOptions.defaults();
        Device parsedDevice = parse("device", device, () -> Device.parse(device));
        RuntimeOptions runtime = defaults.runtime().withDevice(parsedDevice).withStrictDevice(strictDevice);
        if (intraOpThreads != null) {
            RuntimeOptions base = runtime;
            runtime = parse("intra-op-threads", intraOpThreads, () -> base.withIntraOpThreads(intraOpThreads));
        }
        EmbedOptions options = defaults.withRuntime(runtime)
                .withLongTextPolicy(parse("long-text", longText, () -> LongTextPolicy.parse(longText)));
        if (maxBatchSize != null) {
            EmbedOptions base = options;
            options = parse("max-batch-size", maxBatchSize, () -> base.withMaxBatchSize(maxBatchSize));
        }
        return options;
    }

    /** Runs a parse, turning Onyx's message into one that names the property it came from. */
    static <T> T parse(String property, Object value, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (OnyxException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    PREFIX + "." + property + "=" + value + " is not valid: " + e.getMessage(), e);
        }
    }

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public String getDevice() {
        return device;
    }

    public void setDevice(String device) {
        this.device = device;
    }

    public boolean isStrictDevice() {
        return strictDevice;
    }

    public void setStrictDevice(boolean strictDevice) {
        this.strictDevice = strictDevice;
    }

    public String getLongText() {
        return longText;
    }

    public void setLongText(String longText) {
        this.longText = longText;
    }

    public Integer getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(Integer maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public Integer getIntraOpThreads() {
        return intraOpThreads;
    }

    public void setIntraOpThreads(Integer intraOpThreads) {
        this.intraOpThreads = intraOpThreads;
    }

    public String getQueryPromptName() {
        return queryPromptName;
    }

    public void setQueryPromptName(String queryPromptName) {
        this.queryPromptName = queryPromptName;
    }

    public String getDocumentPromptName() {
        return documentPromptName;
    }

    public void setDocumentPromptName(String documentPromptName) {
        this.documentPromptName = documentPromptName;
    }

    public Integer getDimensions() {
        return dimensions;
    }

    public void setDimensions(Integer dimensions) {
        this.dimensions = dimensions;
    }
}
