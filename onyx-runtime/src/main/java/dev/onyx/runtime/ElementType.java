package dev.onyx.runtime;

/** Element type of a tensor; an enum, so immutable and thread-safe. */
public enum ElementType {
    FLOAT,
    DOUBLE,
    INT8,
    UINT8,
    INT16,
    INT32,
    INT64,
    BOOL,
    STRING,
    FLOAT16,
    BFLOAT16,
    UNKNOWN
}
