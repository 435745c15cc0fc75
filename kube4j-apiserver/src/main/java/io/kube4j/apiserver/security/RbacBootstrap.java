package io.kube4j.apiserver.security;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.authz.ClusterRoleAggregator;
import io.kube4j.apiserver.authz.DefaultPolicy;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The stored side of RBAC: creates the default roles and bindings at start (only those missing, so a restart or a
 * second API server changes nothing and an administrator's edits stay), and keeps aggregated ClusterRoles
 * ({@code admin}, {@code edit}, {@code view}, and any with an {@code aggregationRule}) up to date, as upstream's
 * clusterrole-aggregation controller does.
 */
public final class RbacBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(RbacBootstrap.class);
    /** Upstream aggregates ClusterRoles in the controller manager, under this controller's name. */
    private static final String AGGREGATION_MANAGER = "clusterrole-aggregation-controller";
    private static final String GROUP = "rbac.authorization.k8s.io";

    private RbacBootstrap() {
    }

    public static void ensureDefaults(Resources resources) {
        removeObsoleteDefaults(resources);
        for (ObjectNode object : DefaultPolicy.objects()) {
            String kind = Json.text(object, "kind");
            GenericRegistry registry = registry(resources, switch (kind) {
                case "ClusterRole" -> "clusterroles";
                case "ClusterRoleBinding" -> "clusterrolebindings";
                case "Role" -> "roles";
                default -> "rolebindings";
            });
            String namespace = Json.text(object, "metadata", "namespace");
            String name = Json.text(object, "metadata", "name");
            if (registry.find(namespace, name).isPresent()) {
                continue;
            }
            try {
                registry.create(namespace, object.deepCopy(), false, GenericRegistry.SERVER_MANAGER);
            } catch (StatusException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
        }
        aggregate(resources);
    }

    /**
     * Deletes defaults of earlier versions that widened rights ({@link DefaultPolicy#obsolete()}); only while they
     * still carry the bootstrapping label, so an object an administrator made under that name stays.
     */
    private static void removeObsoleteDefaults(Resources resources) {
        for (String[] obsolete : DefaultPolicy.obsolete()) {
            GenericRegistry registry = registry(resources, obsolete[0].equals("ClusterRole") ? "clusterroles"
                    : "clusterrolebindings");
            ObjectNode found = registry.find(null, obsolete[1]).orElse(null);
            if (found == null || !"rbac-defaults".equals(Json.text(found, "metadata", "labels",
                    "kubernetes.io/bootstrapping"))) {
                continue;
            }
            try {
                registry.delete(null, obsolete[1], new io.kube4j.apiserver.registry.DeleteOptions(null, null,
                        Json.text(found, "metadata", "uid"), null, null, false), false);
                LOG.info("removed the obsolete default {} {}", obsolete[0], obsolete[1]);
            } catch (StatusException e) {
                if (e.code() != 404 && e.code() != 409) {
                    throw e;
                }
            }
        }
    }

    /** One pass of ClusterRole aggregation; a conflicting concurrent write is retried on the next pass. */
    public static void aggregate(Resources resources) {
        GenericRegistry clusterRoles = registry(resources, "clusterroles");
        List<ObjectNode> all = new RegistryObjectLookup(resources).list("clusterroles", null);
        for (ObjectNode update : ClusterRoleAggregator.reconcile(all)) {
            try {
                clusterRoles.update(null, Json.text(update, "metadata", "name"), update, false, false, AGGREGATION_MANAGER);
            } catch (StatusException e) {
                if (e.code() != 409 && e.code() != 404) {
                    LOG.warn("aggregating ClusterRole {} failed: {}", Json.text(update, "metadata", "name"),
                            e.getMessage());
                }
            }
        }
    }

    private static GenericRegistry registry(Resources resources, String plural) {
        return resources.find(GROUP, "v1", plural).orElseThrow();
    }
}
