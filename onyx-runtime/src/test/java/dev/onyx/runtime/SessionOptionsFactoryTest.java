package dev.onyx.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

class SessionOptionsFactoryTest {
    @Test
    void spinningThreadsSpinOnlyWithinARun() throws Exception {
        try (OrtSession.SessionOptions so = SessionOptionsFactory.create(RuntimeOptions.defaults())) {
            assertThat(so.getConfigEntries())
                    .containsEntry("session.force_spinning_stop", "1")
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
