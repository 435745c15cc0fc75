package io.kube4j.apiserver.discovery;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.resource.Subresource;

import java.util.List;
import java.util.stream.Stream;

/**
 * The subresources that are not objects in the registry but connections relayed elsewhere (upstream's
 * "connecter" storages): {@code pods/exec|attach|portforward}, served by {@code PodStreams}, {@code nodes/proxy},
 * served by {@code NodeProxy}, and {@code pods/proxy} and {@code services/proxy}, served by {@code PodProxy} and
 * {@code ServiceProxy}. Discovery lists them beside the registry's subresources with upstream's option kinds and
 * verbs.
 */
public final class ConnectSubresources {

    /** Upgrade requests: GET (WebSocket, the verb "get") and POST (SPDY, "create"), as upstream's. */
    private static final List<String> STREAM_VERBS = List.of("create", "get");
    /** Every method a proxy relays, under upstream's verbs for them. */
    private static final List<String> PROXY_VERBS = List.of("create", "delete", "get", "patch", "update");

    private static final List<Subresource> POD_STREAMS = List.of(
            connect("attach", "PodAttachOptions", STREAM_VERBS),
            connect("exec", "PodExecOptions", STREAM_VERBS),
            connect("portforward", "PodPortForwardOptions", STREAM_VERBS));
    private static final List<Subresource> POD_CONNECTERS = Stream.concat(POD_STREAMS.stream(),
            Stream.of(connect("proxy", "PodProxyOptions", PROXY_VERBS))).toList();
    private static final List<Subresource> NODE_PROXY = List.of(connect("proxy", "NodeProxyOptions", PROXY_VERBS));
    private static final List<Subresource> SERVICE_PROXY = List.of(
            connect("proxy", "ServiceProxyOptions", PROXY_VERBS));

    private ConnectSubresources() {
    }

    /** The connect subresources of a resource: none for anything but core/v1 pods, nodes and services. */
    public static List<Subresource> of(ResourceType type) {
        if (!type.group().isEmpty() || !type.version().equals("v1")) {
            return List.of();
        }
        return switch (type.plural()) {
            case "pods" -> POD_CONNECTERS;
            case "nodes" -> NODE_PROXY;
            case "services" -> SERVICE_PROXY;
            default -> List.of();
        };
    }

    /** True for {@code pods/<name>} when it is one of the streaming subresources (exec, attach, portforward). */
    public static boolean isPodStream(String name) {
        return POD_STREAMS.stream().anyMatch(s -> s.name().equals(name));
    }

    private static Subresource connect(String name, String kind, List<String> verbs) {
        return new Subresource(name, "", "v1", kind, verbs);
    }
}
