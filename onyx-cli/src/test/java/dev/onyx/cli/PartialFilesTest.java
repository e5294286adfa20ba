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

    private final PartialFiles files = new PartialFiles(false);

    /** A partial file's path in the test folder (not created). */
    private Path partial(String name) {
        return dir.resolve("." + name + ".npy" + VectorWriter.PARTIAL + "1");
    }

    @Test
    void shutdownDeletesEveryLiveFileAndNoFileIsCreatedAfterIt() throws Exception {
        Path a = partial("a");
        Path b = partial("b");
        files.create(a).close();
        try (var out = files.create(b)) {
            out.write("half a file".getBytes());
        }
        assertThat(a).exists();

        files.shutDown();
        assertThat(a).doesNotExist();
        assertThat(b).doesNotExist();

        Path late = partial("c");
        assertThatThrownBy(() -> files.create(late))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("shutting down");
        assertThat(late).doesNotExist();
    }

    @Test
    void aStreamStillOpenAtShutdownWritesToNoNamedFile() throws Exception {
        Path temp = partial("w");
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
        Path temp = partial("v");
        Path target = dir.resolve("v.npy");
        files.create(temp).close();
        Files.move(temp, target);
        files.delete(temp);
        files.shutDown();
        assertThat(target).exists();
    }

    @Test
    void anExistingFileIsNotTakenOver() throws Exception {
        Path taken = Files.createFile(partial("t"));
        assertThatThrownBy(() -> files.create(taken)).isInstanceOf(FileAlreadyExistsException.class);
        files.shutDown();
        assertThat(taken)
                .as("a file this instance did not create is left alone")
                .exists();
    }
}
