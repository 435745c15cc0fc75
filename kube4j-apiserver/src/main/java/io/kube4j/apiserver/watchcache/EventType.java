package io.kube4j.apiserver.watchcache;

/** The type of a Kubernetes watch event. */
public enum EventType {
    ADDED, MODIFIED, DELETED, BOOKMARK, ERROR
}
