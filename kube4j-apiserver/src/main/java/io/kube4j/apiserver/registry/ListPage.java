package io.kube4j.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** One page of a list: the items, the revision it was read at, the token for the next page (or null). */
public record ListPage(List<ObjectNode> items, long revision, String continueToken, long remainingItemCount) {
}
