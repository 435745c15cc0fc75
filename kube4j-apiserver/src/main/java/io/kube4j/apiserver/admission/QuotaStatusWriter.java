package io.kube4j.apiserver.admission;

import tools.jackson.databind.node.ObjectNode;

import java.util.Optional;

/** Writes a ResourceQuota's status (the admission charges usage to it before the object is stored). */
@FunctionalInterface
public interface QuotaStatusWriter {

    /**
     * Stores {@code quota}'s status if the stored quota still has {@code metadata.resourceVersion}: the quota as
     * stored (with its new resourceVersion), or empty on a conflict (someone else charged the quota first).
     */
    Optional<ObjectNode> tryUpdateStatus(ObjectNode quota);
}
