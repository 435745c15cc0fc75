package io.kube4j.apiserver.resourcemetrics;

import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/** The nodes and pods the metrics are about: their names and labels decide what a selector returns. */
public interface ClusterObjects {

    List<ObjectNode> nodes();

    /** The pods of a namespace, or of all namespaces for null. */
    List<ObjectNode> pods(String namespace);
}
