package io.kube4j.apiserver.admission;

import tools.jackson.databind.node.ObjectNode;

/** Writes a ResourceQuota's status (the admission charges usage to it before the object is stored). */
@FunctionalInterface
public interface QuotaStatusWriter {

    /**
     * Stores {@code quota}'s status if the stored quota still has {@code metadata.resourceVersion}; false on a
     * conflict (someone else charged the quota first).
     */
    boolean tryUpdateStatus(ObjectNode quota);
}
