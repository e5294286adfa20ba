package dev.onyx.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

class SessionOptionsFactoryTest {
    @Test
    void spinWaitKeepsOnnxRuntimesSpinningBetweenCalls() throws Exception {
        try (OrtSession.SessionOptions so = SessionOptionsFactory.create(RuntimeOptions.defaults())) {
            // stopping the spin when a run returns made every call after a pause wake parked threads (p50 7-9 ms)
            assertThat(so.getConfigEntries())
                    .doesNotContainKey("session.force_spinning_stop")
                    .doesNotContainKey("session.intra_op.allow_spinning");
        }
    }

    @Test
    void withoutSpinWaitTheThreadsNeverSpin() throws Exception {
        try (OrtSession.SessionOptions so =
                SessionOptionsFactory.create(RuntimeOptions.defaults().withSpinWait(false))) {
            assertThat(so.getConfigEntries())
                    .containsEntry("session.intra_op.allow_spinning", "0")
                    .doesNotContainKey("session.force_spinning_stop");
        }
    }
}
