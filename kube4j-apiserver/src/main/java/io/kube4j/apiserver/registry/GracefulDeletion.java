package io.kube4j.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

/** A strategy whose objects are deleted after a grace period (pods): they are first only marked. */
public interface GracefulDeletion {
    /** Seconds to wait before the object is really deleted; 0 deletes it now. */
    long gracePeriod(ObjectNode obj, DeleteOptions options);
}
