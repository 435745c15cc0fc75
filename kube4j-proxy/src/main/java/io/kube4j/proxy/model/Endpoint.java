package io.kube4j.proxy.model;

/**
 * One backend address of a Service port, taken from an EndpointSlice.
 *
 * @param nodeName the node the endpoint runs on, or null when the slice does not say
 */
public record Endpoint(String ip, int port, boolean ready, boolean serving, boolean terminating,
                       String nodeName) {

    public String ipPort() {
        return ip + ":" + port;
    }

    public boolean isLocal(String node) {
        return nodeName != null && nodeName.equals(node);
    }
}
