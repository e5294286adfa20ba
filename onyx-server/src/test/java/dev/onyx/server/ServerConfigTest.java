package dev.onyx.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.onyx.runtime.OnyxException;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    @Test
    void batchWorkersOutsideItsRangeIsRefusedNamingTheRange() {
        assertThatThrownBy(() -> ServerConfig.defaults().withBatchWorkers(0))
                .isInstanceOf(OnyxException.class)
                .hasMessage("batchWorkers must be between 1 and 64, was 0");
        assertThatThrownBy(() -> ServerConfig.defaults().withBatchWorkers(65))
                .isInstanceOf(OnyxException.class)
                .hasMessageContaining("was 65");
    }

    @Test
    void aWitherChangesOneFieldAndKeepsTheOthers() {
        ServerConfig base =
                ServerConfig.defaults().withPort(9000).withApiKey("k").withMaxWaitMillis(5);
        ServerConfig changed = base.withBatchWorkers(3);

        assertThat(changed.batchWorkers()).isEqualTo(3);
        assertThat(changed.port()).isEqualTo(9000);
        assertThat(changed.apiKey()).contains("k");
        assertThat(changed.maxWaitMillis()).isEqualTo(5);
        assertThat(changed.withBatchWorkers(base.batchWorkers())).isEqualTo(base);
    }

    @Test
    void servingOptionsSplitTheCoresBetweenTheWorkersAndNeverSpin() {
        int cores = Runtime.getRuntime().availableProcessors();
        for (int workers : new int[] {1, 2, 3, 64}) {
            var runtime = EmbeddingServer.servingOptions(ServerConfig.defaults().withBatchWorkers(workers))
                    .runtime();
            assertThat(runtime.intraOpThreads()).isEqualTo(Math.max(1, cores / workers));
            assertThat(runtime.spinWait()).isFalse();
        }
        assertThat(ServerConfig.defaults().batchWorkers()).isEqualTo(2);
    }
}
