package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartialFilesTest {
    @TempDir
    Path dir;

    @Test
    void shutdownDeletesEveryLiveFileAndNoFileIsCreatedAfterIt() throws Exception {
        PartialFiles files = new PartialFiles(false);
        Path a = dir.resolve(".a.npy.onyx-partial-1");
        Path b = dir.resolve(".b.npy.onyx-partial-1");
        files.create(a).close();
        try (var out = files.create(b)) {
            out.write("half a file".getBytes());
        }
        assertThat(a).exists();

        files.shutDown();
        assertThat(a).doesNotExist();
        assertThat(b).doesNotExist();

        Path late = dir.resolve(".c.npy.onyx-partial-1");
        assertThatThrownBy(() -> files.create(late))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("shutting down");
        assertThat(late).doesNotExist();
    }

    @Test
    void aStreamStillOpenAtShutdownWritesToNoNamedFile() throws Exception {
        PartialFiles files = new PartialFiles(false);
        Path temp = dir.resolve(".w.npy.onyx-partial-1");
        try (var out = files.create(temp)) {
            files.shutDown();
            out.write(new byte[4096]);
            out.flush();
        }
        assertThat(temp)
                .as("writing after the hook does not bring the file back")
                .doesNotExist();
    }

    @Test
    void aFileMovedIntoPlaceIsNotDeletedAtShutdown() throws Exception {
        PartialFiles files = new PartialFiles(false);
        Path temp = dir.resolve(".v.npy.onyx-partial-1");
        Path target = dir.resolve("v.npy");
        files.create(temp).close();
        Files.move(temp, target);
        files.delete(temp);
        files.shutDown();
        assertThat(target).exists();
    }

    @Test
    void anExistingFileIsNotTakenOver() throws Exception {
        PartialFiles files = new PartialFiles(false);
        Path taken = Files.createFile(dir.resolve(".t.npy.onyx-partial-1"));
        assertThatThrownBy(() -> files.create(taken)).isInstanceOf(FileAlreadyExistsException.class);
        files.shutDown();
        assertThat(taken)
                .as("a file this instance did not create is left alone")
                .exists();
    }
}
