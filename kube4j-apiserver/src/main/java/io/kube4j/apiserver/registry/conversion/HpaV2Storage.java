package io.kube4j.apiserver.registry.conversion;

import io.kube4j.api.conversion.HpaV1ToV2;
import io.kube4j.api.conversion.HpaV2ToV1;
import io.kube4j.apiserver.registry.StoredForm;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * autoscaling/v2 HorizontalPodAutoscalers, the storage version: written as served. An object an older kube4j
 * stored in autoscaling/v1 form (it kept each version's writes as they came) is read in v2 form, so that v2
 * clients such as the HPA controller never see v1 fields.
 */
public final class HpaV2Storage implements StoredForm {

    /** The versions an HPA is served in, in either of which its owners are compared (managedFields). */
    static final Set<String> VERSIONS = Set.of(HpaV1ToV2.API_VERSION, HpaV2ToV1.API_VERSION);

    @Override
    public ObjectNode toStored(ObjectNode served) {
        return served;
    }

    @Override
    public ObjectNode toServed(ObjectNode stored) {
        if (HpaV2ToV1.API_VERSION.equals(stored.path("apiVersion").asString(""))) {
            return HpaV1ToV2.convert(stored);
        }
        return stored;
    }

    /** v2 objects are stored as served; a leftover in v1 form is refused by StoredJson's apiVersion check. */
    @Override
    public boolean servesStoredBytes() {
        return true;
    }

    @Override
    public Set<String> versions() {
        return VERSIONS;
    }

    @Override
    public ObjectNode toVersion(ObjectNode served, String apiVersion) {
        return switch (apiVersion) {
            case HpaV1ToV2.API_VERSION -> served.deepCopy();
            case HpaV2ToV1.API_VERSION -> HpaV2ToV1.convert(served);
            default -> null;
        };
    }
}
