package io.kube4j.apiserver.apiregistration;

import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.watchcache.CacheListener;
import io.kube4j.apiserver.watchcache.CachedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.concurrent.ScheduledExecutorService;

/**
 * Upstream's crdRegistrationController: every group/version a CustomResourceDefinition serves gets an always-kept
 * Local APIService (priorities 1000 and 100), and one no CRD serves any more loses it. Keyed by group/version, so a
 * CRD that drops a version, or the last of two CRDs of a group going, is seen from the remaining CRDs.
 */
final class CrdRegistration implements CacheListener {

    private static final Logger LOG = LoggerFactory.getLogger(CrdRegistration.class);

    private final GenericRegistry crds;
    private final AutoRegistration autoRegistration;
    private final SyncQueue queue;

    CrdRegistration(GenericRegistry crds, AutoRegistration autoRegistration, ScheduledExecutorService executor) {
        this.crds = crds;
        this.autoRegistration = autoRegistration;
        this.queue = new SyncQueue("CRD APIService registration", this::sync, executor);
    }

    /** Queues the group/versions of every stored CRD (the initial events), then follows the CRD watch. */
    void start() {
        crds.cache().register(this, true, 0);
    }

    @Override
    public boolean onEvent(CachedEvent event) {
        // the versions before and after the change: a version dropped from a CRD must lose its APIService
        queueGroupVersions(event.object());
        if (event.previousEntry() != null) {
            queueGroupVersions(event.previous());
        }
        return true;
    }

    @Override
    public void onTerminated(String reason) {
        LOG.debug("CRD watch ended: {}", reason);
    }

    private void queueGroupVersions(ObjectNode crd) {
        if (crd == null) {
            return;
        }
        String group = crd.path("spec").path("group").asString("");
        for (JsonNode version : crd.path("spec").path("versions")) {
            queue.add(group + "/" + version.path("name").asString(""));
        }
    }

    /** Wants the group/version's APIService while some stored CRD serves it. */
    void sync(String groupVersion) {
        int slash = groupVersion.indexOf('/');
        String group = groupVersion.substring(0, slash);
        String version = groupVersion.substring(slash + 1);
        if (servedByACrd(group, version)) {
            autoRegistration.addAlways(group, version, ApiServicePriorities.CUSTOM_RESOURCE);
        } else {
            autoRegistration.removeAlways(ApiServices.name(group, version));
        }
    }

    private boolean servedByACrd(String group, String version) {
        for (ObjectNode crd : crds.cache().snapshot(crds.listPrefix(null)).items()) {
            JsonNode spec = crd.path("spec");
            if (!group.equals(spec.path("group").asString(""))) {
                continue;
            }
            for (JsonNode v : spec.path("versions")) {
                if (version.equals(v.path("name").asString("")) && v.path("served").asBoolean(false)) {
                    return true;
                }
            }
        }
        return false;
    }
}
