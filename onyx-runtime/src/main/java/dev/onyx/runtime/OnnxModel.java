package dev.onyx.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded ONNX model backed by one ONNX Runtime session; thread-safe: {@link #run} may be called concurrently, and
 * {@link #close()} is idempotent and safe from any thread, also while runs are in flight: it refuses new runs at once
 * and frees the native session only after the running ones have returned ({@link CloseGuard}). The caller that loads a
 * model owns it and closes it.
 *
 * <p>Inputs are copied into native memory only when they are not already in direct buffers; outputs are copied to heap
 * {@link Tensor}s before the native result is released, so nothing returned refers to native memory.
 */
public final class OnnxModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String source;
    private final DeviceSelection device;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final CloseGuard guard;

    private OnnxModel(OrtEnvironment env, OrtSession session, String source, DeviceSelection device)
            throws OrtException {
        this.env = env;
        this.session = session;
        this.source = source;
        this.device = device;
        this.guard = new CloseGuard("model " + source);
        this.inputs = OrtBridge.specs(session.getInputInfo());
        this.outputs = OrtBridge.specs(session.getOutputInfo());
    }

    /**
     * Loads a model file.
     *
     * @throws InvalidModelException when the file is missing or is not a model ONNX Runtime can load
     * @throws OnyxException when strict device mode is on and the requested device is unavailable
     */
    public static OnnxModel load(Path file, RuntimeOptions options) throws InvalidModelException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException("model file not found: " + file.toAbsolutePath());
        }
        long size;
        try {
            size = Files.size(file);
        } catch (java.io.IOException e) {
            throw new InvalidModelException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new InvalidModelException("not an ONNX model: " + file + " (the file is empty)");
        }
        return create(file.toString(), options, (env, opts) -> env.createSession(file.toString(), opts));
    }

    /**
     * Loads a model from its serialized bytes.
     *
     * @throws InvalidModelException when the bytes are not a model ONNX Runtime can load
     */
    public static OnnxModel load(byte[] model, RuntimeOptions options) throws InvalidModelException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        String source = "<" + model.length + " bytes>";
        if (model.length == 0) {
            throw new InvalidModelException("not an ONNX model: " + source + " (no bytes)");
        }
        return create(source, options, (env, opts) -> env.createSession(model, opts));
    }

    /** The devices the loaded ONNX Runtime build offers; the CPU always. */
    public static Set<Device> availableDevices() {
        return OrtBridge.availableDevices();
    }

    private interface SessionFactory {
        OrtSession open(OrtEnvironment env, OrtSession.SessionOptions options) throws OrtException;
    }

    private static OnnxModel create(String source, RuntimeOptions options, SessionFactory factory)
            throws InvalidModelException {
        OrtEnvironment env = OrtBridge.environment();
        DeviceSelection selection =
                DeviceSelection.choose(options.device(), options.strictDevice(), availableDevices());
        try (OrtSession.SessionOptions sessionOptions = SessionOptionsFactory.create(options)) {
            selection = SessionOptionsFactory.addProvider(sessionOptions, selection, options.strictDevice());
            selection.fallbackReason().ifPresent(reason -> LOG.warn("{}", reason));
            OrtSession session = factory.open(env, sessionOptions);
            try {
                return new OnnxModel(env, session, source, selection);
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw OrtBridge.loadFailure(source, e);
        }
    }

    /** Inputs in the model's order. */
    public List<TensorSpec> inputs() {
        return inputs;
    }

    /** Outputs in the model's order. */
    public List<TensorSpec> outputs() {
        return outputs;
    }

    /** Where the model came from: a file path or a byte count. */
    public String source() {
        return source;
    }

    /** The device actually in use. */
    public Device device() {
        return device.selected();
    }

    /** What was requested, what is used and why they differ. */
    public DeviceSelection deviceSelection() {
        return device;
    }

    /** True when the model has an input of this name. */
    public boolean hasInput(String name) {
        return inputs.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Runs the model and returns every output, in the model's order. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
        return run(
                feeds,
                outputs.stream().map(TensorSpec::name).collect(Collectors.toCollection(java.util.LinkedHashSet::new)));
    }

    /**
     * Runs the model and returns the named outputs as heap tensors.
     *
     * @throws OnyxException when an input is missing or unknown, or ONNX Runtime rejects the run
     */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, Set<String> outputNames) {
        Objects.requireNonNull(feeds, "feeds");
        Objects.requireNonNull(outputNames, "outputNames");
        try (CloseGuard.Lease lease = guard.acquire()) {
            checkFeeds(feeds);
            return runOpen(feeds, outputNames);
        }
    }

    private Map<String, Tensor> runOpen(Map<String, Tensor> feeds, Set<String> outputNames) {
        Map<String, OnnxTensor> native_ = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
                native_.put(e.getKey(), OrtBridge.toOrt(env, e.getValue()));
            }
            try (OrtSession.Result result = session.run(native_, outputNames)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    out.put(e.getKey(), OrtBridge.toHeap(e.getKey(), e.getValue()));
                }
                return out;
            }
        } catch (OrtException e) {
            throw OrtBridge.translate("running " + source, e);
        } finally {
            native_.values().forEach(OnnxTensor::close);
        }
    }

    private void checkFeeds(Map<String, Tensor> feeds) {
        List<String> missing = new ArrayList<>();
        for (TensorSpec spec : inputs) {
            if (!feeds.containsKey(spec.name())) {
                missing.add(spec.toString());
            }
        }
        for (String name : feeds.keySet()) {
            if (!hasInput(name)) {
                throw new OnyxException("unknown input '" + name + "'; the model's inputs are " + inputs);
            }
        }
        if (!missing.isEmpty()) {
            throw new OnyxException("missing inputs " + missing + "; the model's inputs are " + inputs);
        }
    }

    /**
     * Releases the native session once the runs in flight have returned, waiting up to {@link
     * CloseGuard#defaultTimeout()}; later runs throw an {@link OnyxException} saying the model is closed. Idempotent and
     * safe from any thread; called inside a run (a callback on the running thread) it returns at once and the session is
     * freed when that run returns.
     *
     * @throws OnyxException when runs are still in flight at the deadline (the session is then freed when the last
     *     returns, never under it)
     */
    @Override
    public void close() {
        close(CloseGuard.defaultTimeout());
    }

    /** As {@link #close()}, waiting at most {@code maxWait} for runs in flight. */
    public void close(Duration maxWait) {
        guard.close(maxWait, () -> {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warn("closing {} failed: {}", source, e.getMessage());
            }
        });
    }

    @Override
    public String toString() {
        return "OnnxModel[" + source + " on " + device.selected().label() + "]";
    }
}
