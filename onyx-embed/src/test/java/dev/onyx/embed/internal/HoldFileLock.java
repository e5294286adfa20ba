package dev.onyx.embed.internal;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A child process for {@code StaleInt8CopiesTest}: locks the file {@code args[0]} as {@link Int8Cache} does, prints
 * {@code locked}, and holds the lock until its standard input closes.
 */
public final class HoldFileLock {
    private HoldFileLock() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel channel =
                        FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the test closes our input
            }
        }
    }
}
