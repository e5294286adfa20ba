package dev.onyx.embed;

import java.io.IOException;

/**
 * A catalog model that could not be had from the Maven repositories: the artifact is missing, a repository is
 * unreachable or refused the credentials, a checksum did not match (the download is refused and deleted), or, offline,
 * it is not local; immutable. The message names the model, its Maven coordinates and the repositories tried.
 */
public final class ModelDownloadException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModelDownloadException(String message) {
        super(message);
    }
}
