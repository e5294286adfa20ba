package dev.onyx.mcp.internal;

import dev.onyx.runtime.OnyxException;

/** A tool call's arguments are wrong; the message says which argument, the value and what is allowed. */
public final class ToolArgumentException extends OnyxException {
    private static final long serialVersionUID = 1L;

    public ToolArgumentException(String message) {
        super(message);
    }
}
