package io.kube4j.apiserver.resourcemetrics;

import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * Reads a path from a node's kubelet. The API server's node proxy provides it, so the scraper reaches kubelets
 * exactly as {@code nodes/proxy} and {@code pods/log} do (address, port, transport security).
 */
@FunctionalInterface
public interface KubeletReader {

    /** The body of a 200 answer to GET {@code path}; anything else is an IOException. */
    byte[] get(ObjectNode node, String path) throws IOException, InterruptedException;
}
