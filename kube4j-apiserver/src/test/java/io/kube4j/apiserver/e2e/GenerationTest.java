package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * metadata.generation kind by kind, as upstream 1.32's strategies keep it: set to 1 on create and bumped by a spec
 * change for the kinds whose strategy says so (workloads, pod templates, ingresses and their classes, network
 * policies, disruption budgets, endpoint slices, webhook configurations, CRDs and custom resources), absent for every
 * other kind, and never moved by a status write or a metadata-only change (EndpointSlices: labels count).
 */
class GenerationTest {

    private static final String MERGE = "application/merge-patch+json";
    private static final String POD_TEMPLATE = "{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":"
            + "[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
    private static final String SELECTOR = "\"selector\":{\"matchLabels\":{\"a\":\"b\"}}";
    private static final String JOB_TEMPLATE = "{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":"
            + "[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
    private static final String WEBHOOK = "{\"webhooks\":[{\"name\":\"a.example.com\",\"clientConfig\":"
            + "{\"url\":\"https://example.com/hook\"},\"sideEffects\":\"None\",\"admissionReviewVersions\":[\"v1\"]}]}";
    private static final String LABEL_ONLY = "{\"metadata\":{\"labels\":{\"touched\":\"yes\"}}}";

    /**
     * One kind: its collection path, a valid body (without apiVersion, kind and name), a patch that changes its
     * desired state (or only metadata where upstream allows no spec change), and a status patch or null.
     */
    private record Kind(String path, String apiVersion, String kind, String body, String specPatch,
                        String statusPatch, boolean tracked) {
    }

    private static final List<Kind> KINDS = List.of(
            // the kinds upstream's strategies give a generation
            tracked("/api/v1/namespaces/gen/replicationcontrollers", "v1", "ReplicationController",
                    "{\"spec\":{\"selector\":{\"a\":\"b\"},\"template\":" + POD_TEMPLATE + "}}",
                    "{\"spec\":{\"replicas\":2}}", "{\"status\":{\"replicas\":0,\"observedGeneration\":1}}"),
            tracked("/api/v1/namespaces/gen/podtemplates", "v1", "PodTemplate", "{\"template\":" + POD_TEMPLATE + "}",
                    "{\"template\":{\"spec\":{\"activeDeadlineSeconds\":5}}}", null),
            tracked("/apis/apps/v1/namespaces/gen/deployments", "apps/v1", "Deployment",
                    "{\"spec\":{" + SELECTOR + ",\"template\":" + POD_TEMPLATE + "}}", "{\"spec\":{\"replicas\":2}}",
                    "{\"status\":{\"observedGeneration\":1}}"),
            tracked("/apis/apps/v1/namespaces/gen/replicasets", "apps/v1", "ReplicaSet",
                    "{\"spec\":{" + SELECTOR + ",\"template\":" + POD_TEMPLATE + "}}", "{\"spec\":{\"replicas\":2}}",
                    "{\"status\":{\"replicas\":0,\"observedGeneration\":1}}"),
            tracked("/apis/apps/v1/namespaces/gen/statefulsets", "apps/v1", "StatefulSet",
                    "{\"spec\":{\"serviceName\":\"s\"," + SELECTOR + ",\"template\":" + POD_TEMPLATE + "}}",
                    "{\"spec\":{\"replicas\":2}}", "{\"status\":{\"replicas\":0,\"observedGeneration\":1}}"),
            tracked("/apis/apps/v1/namespaces/gen/daemonsets", "apps/v1", "DaemonSet",
                    "{\"spec\":{" + SELECTOR + ",\"template\":" + POD_TEMPLATE + "}}",
                    "{\"spec\":{\"minReadySeconds\":5}}", "{\"status\":{\"currentNumberScheduled\":0,"
                            + "\"numberMisscheduled\":0,\"desiredNumberScheduled\":0,\"numberReady\":0,"
                            + "\"observedGeneration\":1}}"),
            tracked("/apis/batch/v1/namespaces/gen/jobs", "batch/v1", "Job",
                    "{\"spec\":{\"template\":" + JOB_TEMPLATE + "}}", "{\"spec\":{\"activeDeadlineSeconds\":100}}",
                    "{\"status\":{\"active\":1}}"),
            tracked("/apis/batch/v1/namespaces/gen/cronjobs", "batch/v1", "CronJob",
                    "{\"spec\":{\"schedule\":\"*/5 * * * *\",\"jobTemplate\":{\"spec\":{\"template\":" + JOB_TEMPLATE
                            + "}}}}", "{\"spec\":{\"suspend\":true}}",
                    "{\"status\":{\"lastScheduleTime\":\"2024-01-01T00:00:00Z\"}}"),
            tracked("/apis/networking.k8s.io/v1/namespaces/gen/ingresses", "networking.k8s.io/v1", "Ingress",
                    "{\"spec\":{\"defaultBackend\":{\"service\":{\"name\":\"s\",\"port\":{\"number\":80}}}}}",
                    "{\"spec\":{\"ingressClassName\":\"other\"}}",
                    "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"192.0.2.1\"}]}}}"),
            tracked("/apis/networking.k8s.io/v1/ingressclasses", "networking.k8s.io/v1", "IngressClass",
                    "{\"spec\":{\"controller\":\"example.com/ingress\"}}",
                    "{\"spec\":{\"parameters\":{\"apiGroup\":\"example.com\",\"kind\":\"Params\",\"name\":\"p\"}}}",
                    null),
            tracked("/apis/networking.k8s.io/v1/namespaces/gen/networkpolicies", "networking.k8s.io/v1",
                    "NetworkPolicy", "{\"spec\":{\"podSelector\":{}}}", "{\"spec\":{\"podSelector\":"
                            + "{\"matchLabels\":{\"a\":\"b\"}}}}", null),
            tracked("/apis/policy/v1/namespaces/gen/poddisruptionbudgets", "policy/v1", "PodDisruptionBudget",
                    "{\"spec\":{\"minAvailable\":1}}", "{\"spec\":{\"minAvailable\":2}}",
                    "{\"status\":{\"observedGeneration\":1,\"disruptionsAllowed\":0,\"currentHealthy\":0,"
                            + "\"desiredHealthy\":0,\"expectedPods\":0}}"),
            tracked("/apis/discovery.k8s.io/v1/namespaces/gen/endpointslices", "discovery.k8s.io/v1",
                    "EndpointSlice", "{\"addressType\":\"IPv4\",\"endpoints\":[]}",
                    "{\"endpoints\":[{\"addresses\":[\"10.0.0.1\"]}]}", null),
            tracked("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
                    "admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "{\"webhooks\":[]}",
                    WEBHOOK, null),
            tracked("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
                    "admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", "{\"webhooks\":[]}",
                    WEBHOOK, null),
            // the kinds whose upstream strategy leaves generation alone
            untracked("/api/v1/namespaces/gen/configmaps", "v1", "ConfigMap", "{\"data\":{\"a\":\"b\"}}",
                    "{\"data\":{\"a\":\"c\"}}", null),
            untracked("/api/v1/namespaces/gen/secrets", "v1", "Secret", "{\"stringData\":{\"a\":\"b\"}}",
                    "{\"stringData\":{\"a\":\"c\"}}", null),
            untracked("/api/v1/namespaces/gen/serviceaccounts", "v1", "ServiceAccount", "{}",
                    "{\"automountServiceAccountToken\":false}", null),
            untracked("/api/v1/namespaces/gen/endpoints", "v1", "Endpoints", "{\"subsets\":[]}",
                    "{\"subsets\":[{\"addresses\":[{\"ip\":\"10.0.0.1\"}],\"ports\":[{\"port\":80}]}]}", null),
            untracked("/api/v1/namespaces/gen/limitranges", "v1", "LimitRange",
                    "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"max\":{\"cpu\":\"1\"}}]}}",
                    "{\"spec\":{\"limits\":[{\"type\":\"Container\",\"max\":{\"cpu\":\"2\"}}]}}", null),
            untracked("/api/v1/namespaces/gen/resourcequotas", "v1", "ResourceQuota",
                    "{\"spec\":{\"hard\":{\"pods\":\"10\"}}}", "{\"spec\":{\"hard\":{\"pods\":\"20\"}}}",
                    "{\"status\":{\"hard\":{\"pods\":\"10\"},\"used\":{\"pods\":\"0\"}}}"),
            untracked("/api/v1/namespaces/gen/services", "v1", "Service", "{\"spec\":{\"ports\":[{\"port\":80}]}}",
                    "{\"spec\":{\"ports\":[{\"port\":81}]}}",
                    "{\"status\":{\"loadBalancer\":{}}}"),
            untracked("/api/v1/namespaces/gen/pods", "v1", "Pod", "{\"spec\":{\"containers\":"
                    + "[{\"name\":\"c\",\"image\":\"busybox\"}]}}", "{\"spec\":{\"activeDeadlineSeconds\":5}}",
                    "{\"status\":{\"phase\":\"Pending\"}}"),
            untracked("/api/v1/namespaces/gen/persistentvolumeclaims", "v1", "PersistentVolumeClaim",
                    "{\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],\"resources\":{\"requests\":"
                            + "{\"storage\":\"1Gi\"}}}}", LABEL_ONLY, "{\"status\":{\"phase\":\"Pending\"}}"),
            untracked("/api/v1/persistentvolumes", "v1", "PersistentVolume", "{\"spec\":{\"capacity\":"
                    + "{\"storage\":\"1Gi\"},\"accessModes\":[\"ReadWriteOnce\"],\"hostPath\":{\"path\":\"/tmp/gen\"}}}",
                    "{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Delete\"}}", "{\"status\":{\"phase\":\"Available\"}}"),
            untracked("/api/v1/nodes", "v1", "Node", "{\"spec\":{}}", "{\"spec\":{\"unschedulable\":true}}",
                    "{\"status\":{\"phase\":\"Running\"}}"),
            untracked("/api/v1/namespaces", "v1", "Namespace", "{}", LABEL_ONLY, null),
            untracked("/apis/apps/v1/namespaces/gen/controllerrevisions", "apps/v1", "ControllerRevision",
                    "{\"revision\":1,\"data\":{}}", "{\"revision\":2}", null),
            untracked("/apis/autoscaling/v2/namespaces/gen/horizontalpodautoscalers", "autoscaling/v2",
                    "HorizontalPodAutoscaler", "{\"spec\":{\"scaleTargetRef\":{\"apiVersion\":\"apps/v1\","
                            + "\"kind\":\"Deployment\",\"name\":\"d\"},\"maxReplicas\":3}}",
                    "{\"spec\":{\"maxReplicas\":4}}", "{\"status\":{\"currentReplicas\":1,\"desiredReplicas\":1}}"),
            untracked("/apis/coordination.k8s.io/v1/namespaces/gen/leases", "coordination.k8s.io/v1", "Lease",
                    "{\"spec\":{\"holderIdentity\":\"a\"}}", "{\"spec\":{\"holderIdentity\":\"b\"}}", null),
            untracked("/apis/rbac.authorization.k8s.io/v1/namespaces/gen/roles", "rbac.authorization.k8s.io/v1",
                    "Role", "{\"rules\":[]}", "{\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],"
                            + "\"verbs\":[\"get\"]}]}", null),
            untracked("/apis/rbac.authorization.k8s.io/v1/clusterroles", "rbac.authorization.k8s.io/v1",
                    "ClusterRole", "{\"rules\":[]}", "{\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],"
                            + "\"verbs\":[\"get\"]}]}", null),
            untracked("/apis/rbac.authorization.k8s.io/v1/namespaces/gen/rolebindings",
                    "rbac.authorization.k8s.io/v1", "RoleBinding", "{\"roleRef\":{\"apiGroup\":"
                            + "\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":\"r\"}}",
                    "{\"subjects\":[{\"kind\":\"User\",\"name\":\"u\",\"apiGroup\":\"rbac.authorization.k8s.io\"}]}",
                    null),
            untracked("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", "rbac.authorization.k8s.io/v1",
                    "ClusterRoleBinding", "{\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\","
                            + "\"kind\":\"ClusterRole\",\"name\":\"r\"}}",
                    "{\"subjects\":[{\"kind\":\"User\",\"name\":\"u\",\"apiGroup\":\"rbac.authorization.k8s.io\"}]}",
                    null),
            untracked("/apis/storage.k8s.io/v1/storageclasses", "storage.k8s.io/v1", "StorageClass",
                    "{\"provisioner\":\"example.com/p\"}", "{\"allowVolumeExpansion\":true}", null),
            untracked("/apis/scheduling.k8s.io/v1/priorityclasses", "scheduling.k8s.io/v1", "PriorityClass",
                    "{\"value\":100}", "{\"description\":\"d\"}", null));

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    @BeforeAll
    static void createNamespace() {
        created(cluster.server().send("POST", "/api/v1/namespaces", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"gen\"}}"));
    }

    private static Kind tracked(String path, String apiVersion, String kind, String body, String specPatch,
                                String statusPatch) {
        return new Kind(path, apiVersion, kind, body, specPatch, statusPatch, true);
    }

    private static Kind untracked(String path, String apiVersion, String kind, String body, String specPatch,
                                  String statusPatch) {
        return new Kind(path, apiVersion, kind, body, specPatch, statusPatch, false);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response);
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    private static JsonNode generation(JsonNode obj) {
        return obj.path("metadata").path("generation");
    }

    @Test
    void builtinKindsKeepAGenerationExactlyWhereUpstreamDoes() {
        for (Kind k : KINDS) {
            String name = "gen-" + k.kind().toLowerCase();
            String body = "{\"apiVersion\":\"" + k.apiVersion() + "\",\"kind\":\"" + k.kind() + "\",\"metadata\":"
                    + "{\"name\":\"" + name + "\"}," + k.body().substring(1);
            if (k.body().equals("{}")) {
                body = body.substring(0, body.length() - 2) + "}";
            }
            JsonNode obj = created(cluster.server().send("POST", k.path(), "application/json", body));
            String item = k.path() + "/" + name;
            if (!k.tracked()) {
                assertThat(obj.path("metadata").has("generation")).as(k.kind() + " create").isFalse();
                assertThat(ok(cluster.server().send("PATCH", item, MERGE, k.specPatch())).path("metadata")
                        .has("generation")).as(k.kind() + " update").isFalse();
                if (k.statusPatch() != null) {
                    assertThat(ok(cluster.server().send("PATCH", item + "/status", MERGE, k.statusPatch()))
                            .path("metadata").has("generation")).as(k.kind() + " status").isFalse();
                }
                continue;
            }
            assertThat(generation(obj).asLong()).as(k.kind() + " create").isEqualTo(1);
            // metadata alone is not desired state
            JsonNode relabeled = ok(cluster.server().send("PATCH", item, MERGE,
                    "{\"metadata\":{\"annotations\":{\"x\":\"y\"}}}"));
            assertThat(generation(relabeled).asLong()).as(k.kind() + " annotations").isEqualTo(1);
            JsonNode updated = ok(cluster.server().send("PATCH", item, MERGE, k.specPatch()));
            assertThat(generation(updated).asLong()).as(k.kind() + " spec update").isEqualTo(2);
            // the same spec again changes nothing
            assertThat(generation(ok(cluster.server().send("PATCH", item, MERGE, k.specPatch()))).asLong())
                    .as(k.kind() + " same spec").isEqualTo(2);
            if (k.statusPatch() != null) {
                JsonNode status = ok(cluster.server().send("PATCH", item + "/status", MERGE, k.statusPatch()));
                assertThat(generation(status).asLong()).as(k.kind() + " status").isEqualTo(2);
            }
        }
    }

    @Test
    void endpointSliceLabelsCountAsItsDesiredState() {
        String slices = "/apis/discovery.k8s.io/v1/namespaces/gen/endpointslices";
        created(cluster.server().send("POST", slices, "application/json", "{\"apiVersion\":\"discovery.k8s.io/v1\","
                + "\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":\"labels\"},\"addressType\":\"IPv4\","
                + "\"endpoints\":[]}"));
        assertThat(generation(ok(cluster.server().send("PATCH", slices + "/labels", MERGE, LABEL_ONLY))).asLong())
                .isEqualTo(2);
        // an empty label map is no labels, as upstream's semantic equality has it
        assertThat(generation(ok(cluster.server().send("PATCH", slices + "/labels", MERGE,
                "{\"metadata\":{\"annotations\":{\"a\":\"b\"}}}"))).asLong()).isEqualTo(2);
        // other kinds ignore labels
        String deployments = "/apis/apps/v1/namespaces/gen/deployments";
        created(cluster.server().send("POST", deployments, "application/json", "{\"apiVersion\":\"apps/v1\",\"kind\":"
                + "\"Deployment\",\"metadata\":{\"name\":\"labels\"},\"spec\":{" + SELECTOR + ",\"template\":"
                + POD_TEMPLATE + "}}"));
        assertThat(generation(ok(cluster.server().send("PATCH", deployments + "/labels", MERGE, LABEL_ONLY))).asLong())
                .isEqualTo(1);
    }

    @Test
    void markingForDeletionBumpsTheGenerationOnce() {
        String deployments = "/apis/apps/v1/namespaces/gen/deployments";
        created(cluster.server().send("POST", deployments, "application/json", "{\"apiVersion\":\"apps/v1\",\"kind\":"
                + "\"Deployment\",\"metadata\":{\"name\":\"deleting\",\"finalizers\":[\"example.com/hold\"]},"
                + "\"spec\":{" + SELECTOR + ",\"template\":" + POD_TEMPLATE + "}}"));
        assertThat(generation(ok(cluster.server().send("DELETE", deployments + "/deleting", null, null))).asLong())
                .isEqualTo(2);
        // a second delete of the marked object leaves it as it is
        assertThat(generation(ok(cluster.server().send("DELETE", deployments + "/deleting", null, null))).asLong())
                .isEqualTo(2);
        // a kind without a generation gets none
        String configMaps = "/api/v1/namespaces/gen/configmaps";
        created(cluster.server().send("POST", configMaps, "application/json", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"deleting\","
                + "\"finalizers\":[\"example.com/hold\"]}}"));
        assertThat(ok(cluster.server().send("DELETE", configMaps + "/deleting", null, null)).path("metadata")
                .has("generation")).isFalse();
    }

    @Test
    void crdsAndCustomResourcesKeepAGeneration() {
        JsonNode crd = created(cluster.server().send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                "application/json", "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":"
                        + "\"CustomResourceDefinition\",\"metadata\":{\"name\":\"widgets.example.com\"},\"spec\":"
                        + "{\"group\":\"example.com\",\"scope\":\"Namespaced\",\"names\":{\"plural\":\"widgets\","
                        + "\"singular\":\"widget\",\"kind\":\"Widget\"},\"versions\":[{\"name\":\"v1\","
                        + "\"served\":true,\"storage\":true,\"subresources\":{\"status\":{}},\"schema\":"
                        + "{\"openAPIV3Schema\":{\"type\":\"object\",\"properties\":{\"spec\":{\"type\":\"object\","
                        + "\"properties\":{\"size\":{\"type\":\"integer\"}}},\"status\":{\"type\":\"object\","
                        + "\"x-kubernetes-preserve-unknown-fields\":true}}}}}]}}"));
        assertThat(generation(crd).asLong()).isEqualTo(1);
        String crdPath = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com";
        assertThat(generation(ok(cluster.server().send("PATCH", crdPath, MERGE,
                "{\"spec\":{\"names\":{\"shortNames\":[\"wd\"]}}}"))).asLong()).isEqualTo(2);
        String widgets = "/apis/example.com/v1/namespaces/gen/widgets";
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.server().get(widgets).statusCode() == 200);
        assertThat(generation(created(cluster.server().send("POST", widgets, "application/json", "{\"apiVersion\":"
                + "\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"size\":1}}")))
                .asLong()).isEqualTo(1);
        assertThat(generation(ok(cluster.server().send("PATCH", widgets + "/w", MERGE,
                "{\"spec\":{\"size\":2}}"))).asLong()).isEqualTo(2);
        assertThat(generation(ok(cluster.server().send("PATCH", widgets + "/w/status", MERGE,
                "{\"status\":{\"seen\":1}}"))).asLong()).isEqualTo(2);
    }
}
