package io.kube4j.apiserver.registry.conversion;

import io.kube4j.api.conversion.HpaV1ToV2;
import io.kube4j.api.conversion.HpaV2ToV1;
import io.kube4j.apiserver.registry.StoredForm;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * autoscaling/v1 HorizontalPodAutoscalers kept in their storage version, autoscaling/v2, as upstream stores both
 * under /registry/horizontalpodautoscalers: what one version writes the other reads, and what v1 cannot hold
 * travels in the round-trip annotations.
 */
public final class HpaV1OverV2 implements StoredForm {

    @Override
    public ObjectNode toStored(ObjectNode served) {
        return HpaV1ToV2.convert(served);
    }

    /** A stored object already in v1 form (written by an older kube4j) is served as it is. */
    @Override
    public ObjectNode toServed(ObjectNode stored) {
        if (HpaV2ToV1.API_VERSION.equals(stored.path("apiVersion").asString(""))) {
            return stored;
        }
        return HpaV2ToV1.convert(stored);
    }

    @Override
    public Set<String> versions() {
        return HpaV2Storage.VERSIONS;
    }

    @Override
    public ObjectNode toVersion(ObjectNode served, String apiVersion) {
        return switch (apiVersion) {
            case HpaV2ToV1.API_VERSION -> served.deepCopy();
            case HpaV1ToV2.API_VERSION -> HpaV1ToV2.convert(served);
            default -> null;
        };
    }

    /** Status travels in the current-metrics and conditions annotations in v1: they follow status. */
    @Override
    public void takeStatusCarriers(ObjectNode obj, ObjectNode statusMetadata) {
        HpaV1ToV2.replaceStatusAnnotations(obj, statusMetadata);
    }

    /** Spec travels in the metrics and behavior annotations in v1: a status write keeps the stored ones. */
    @Override
    public void keepSpecCarriers(ObjectNode obj, ObjectNode storedMetadata) {
        HpaV1ToV2.replaceSpecAnnotations(obj, storedMetadata);
    }
}
