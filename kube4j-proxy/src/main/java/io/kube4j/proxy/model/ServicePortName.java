package io.kube4j.proxy.model;

/** Identifies one port of one Service, as upstream's ServicePortName does. */
public record ServicePortName(String namespace, String name, String portName, Protocol protocol) {

    /** {@code ns/name/proto/port}, the readable part of chain names. */
    public String display() {
        return namespace + "/" + name + "/" + protocol.nft() + "/" + portName;
    }
}
