package io.kube4j.store;

/** A delete's revision and the value the key held just before it. */
public record DeleteResult(long revision, KeyValue previous) {
}
