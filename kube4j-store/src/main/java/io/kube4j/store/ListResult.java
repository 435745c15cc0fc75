package io.kube4j.store;

import java.util.List;

/**
 * A page of a prefix listing, read at {@code revision}. {@code more} says keys after the last one remain;
 * {@code remaining} counts them (as etcd's count minus the page). To continue, list again at the same
 * revision from the key after the last one returned.
 */
public record ListResult(List<KeyValue> items, long revision, boolean more, long remaining) {
}
