package io.kube4j.runtime.network;

/** A hostPort mapping as the portmap CNI plugin expects it. */
public record PortMapping(int hostPort, int containerPort, String protocol, String hostIp) {
}
