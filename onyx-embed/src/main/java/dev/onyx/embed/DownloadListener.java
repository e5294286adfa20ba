package dev.onyx.embed;

/**
 * Hears how a hub download progresses; called on the downloading thread, so implementations must be quick and, when
 * shared between downloads, thread-safe.
 */
@FunctionalInterface
public interface DownloadListener {
    /** Ignores progress. */
    DownloadListener NONE = (file, bytesDone, bytesTotal) -> {};

    /**
     * Reports a file's progress; called at the start, after each chunk, and once with {@code bytesDone == bytesTotal}.
     *
     * @param file the file's path inside the repository
     * @param bytesDone bytes on disk so far, a resumed part included
     * @param bytesTotal the file's size, or -1 when the hub did not say
     */
    void progress(String file, long bytesDone, long bytesTotal);
}
