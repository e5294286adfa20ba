package dev.onyx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The README's "a progress bar on stderr for 300+ texts when stderr is a terminal". */
class ProgressTest {

    private static String drawn(int total, boolean terminal) {
        StringWriter err = new StringWriter();
        Progress progress = new Progress(new PrintWriter(err), total, terminal);
        for (int done = 0; done <= total; done += 100) progress.update(done);
        progress.update(total);
        return err.toString();
    }

    @Test
    void threeHundredTextsOnATerminalDrawABarThatEndsAtTheTotal() {
        String bar = drawn(Progress.MIN_TEXTS, true);

        assertThat(bar)
                .startsWith("\r[")
                .contains("] 100/300 texts")
                .contains("[" + "#".repeat(30) + "] 300/300 texts")
                .endsWith(System.lineSeparator());
    }

    @Test
    void fewerTextsOrNoTerminalDrawNothing() {
        assertThat(drawn(Progress.MIN_TEXTS - 1, true)).isEmpty();
        assertThat(drawn(5_000, false)).isEmpty();
    }
}
