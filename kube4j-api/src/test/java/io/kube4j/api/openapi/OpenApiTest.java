package io.kube4j.api.openapi;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiTest {

    private static final String CORE = "io.k8s.api.core.v1.";
    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";
    private static final ResourceRegistry REGISTRY = ResourceRegistry.builtin();

    @Test
    void v2DefinesBuiltinKindsUnderUpstreamNames() {
        JsonNode definitions = OpenApi.v2().get("definitions");

        assertThat(definitions.has(CORE + "Pod")).isTrue();
        assertThat(definitions.has(CORE + "Service")).isTrue();
        assertThat(definitions.has("io.k8s.api.apps.v1.Deployment")).isTrue();
        assertThat(definitions.has(META + "ObjectMeta")).isTrue();
        assertThat(definitions.has("io.k8s.api.rbac.v1.ClusterRole")).isTrue();
        assertThat(definitions.has("io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler")).isTrue();
        assertThat(definitions.has("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"))
                .isTrue();
        assertThat(definitions.get(CORE + "Pod").at("/properties/spec/$ref").asString())
                .isEqualTo("#/definitions/" + CORE + "PodSpec");
        assertThat(definitions.get(CORE + "Pod").at("/properties/metadata/$ref").asString())
                .isEqualTo("#/definitions/" + META + "ObjectMeta");
    }

    @Test
    void everyReferenceResolvesInV2AndInEveryV3Document() {
        ObjectNode v2 = OpenApi.v2();
        for (String ref : refs(v2)) {
            assertThat(ref).startsWith("#/definitions/");
            assertThat(v2.get("definitions").has(ref.substring("#/definitions/".length()))).as(ref).isTrue();
        }
        for (String path : groupVersionPaths()) {
            ObjectNode v3 = v3(path);
            List<String> refs = refs(v3);
            assertThat(refs).isNotEmpty();
            for (String ref : refs) {
                assertThat(ref).startsWith("#/components/schemas/");
                assertThat(v3.at("/components/schemas").has(ref.substring("#/components/schemas/".length())))
                        .as(path + " " + ref).isTrue();
            }
        }
    }

    @Test
    void intOrStringIsOneOfIntegerOrStringInV3() {
        // upstream's v3 IntOrString (its OpenAPIV3OneOfTypes), in every document that reaches it
        for (String path : List.of("apis/apps/v1", "api/v1", "apis/policy/v1")) {
            JsonNode intOrString = v3(path).at("/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString");
            assertThat(intOrString.has("type")).as(path).isFalse();
            assertThat(intOrString.path("format").asString()).isEqualTo("int-or-string");
            assertThat(intOrString.path("oneOf").toString())
                    .isEqualTo("[{\"type\":\"integer\"},{\"type\":\"string\"}]");
            assertThat(intOrString.has("x-kubernetes-int-or-string")).isFalse();
            assertThat(intOrString.path("description").asString()).as(path)
                    .satisfiesAnyOf(d -> assertThat(d).isEmpty(), d -> assertThat(d).startsWith("IntOrString is"));
        }
    }

    @Test
    void intOrStringQuantityAndTimeHaveUpstreamShapes() {
        JsonNode definitions = OpenApi.v2().get("definitions");

        // upstream's v2 IntOrString: a string of format int-or-string, no extension
        JsonNode intOrString = definitions.get("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(intOrString.path("type").asString()).isEqualTo("string");
        assertThat(intOrString.path("format").asString()).isEqualTo("int-or-string");
        assertThat(intOrString.has("x-kubernetes-int-or-string")).isFalse();
        assertThat(definitions.at("/" + CORE + "ServicePort/properties/targetPort/$ref").asString())
                .endsWith("io.k8s.apimachinery.pkg.util.intstr.IntOrString");
        assertThat(definitions.at("/" + CORE + "ServicePort/properties/port/type").asString()).isEqualTo("integer");

        assertThat(definitions.at("/io.k8s.apimachinery.pkg.api.resource.Quantity/type").asString())
                .isEqualTo("string");
        assertThat(definitions.at("/" + CORE + "ResourceRequirements/properties/limits/additionalProperties/$ref")
                .asString()).endsWith("io.k8s.apimachinery.pkg.api.resource.Quantity");

        assertThat(definitions.at("/" + META + "ObjectMeta/properties/creationTimestamp/$ref").asString())
                .endsWith(META + "Time");
        assertThat(definitions.at("/" + META + "Time/format").asString()).isEqualTo("date-time");
        assertThat(definitions.at("/io.k8s.api.coordination.v1.LeaseSpec/properties/renewTime/$ref").asString())
                .endsWith(META + "MicroTime");
        assertThat(definitions.at("/io.k8s.apimachinery.pkg.runtime.RawExtension/x-kubernetes-preserve-unknown-fields")
                .asBoolean()).isTrue();
        assertThat(definitions.at("/" + CORE + "ConfigMap/properties/data/additionalProperties/type").asString())
                .isEqualTo("string");
    }

    @Test
    void kindsCarryTheirGroupVersionKind() {
        JsonNode definitions = OpenApi.v2().get("definitions");

        assertThat(gvks(definitions.get(CORE + "Pod"))).containsExactly("/v1/Pod");
        assertThat(gvks(definitions.get(CORE + "PodList"))).containsExactly("/v1/PodList");
        assertThat(gvks(definitions.get("io.k8s.api.apps.v1.Deployment"))).containsExactly("apps/v1/Deployment");
        assertThat(gvks(definitions.get("io.k8s.api.autoscaling.v1.Scale"))).containsExactly("autoscaling/v1/Scale");
        assertThat(gvks(definitions.get(META + "DeleteOptions"))).contains("/v1/DeleteOptions",
                "apps/v1/DeleteOptions");
        assertThat(definitions.get(CORE + "PodSpec").has("x-kubernetes-group-version-kind")).isFalse();
        assertThat(definitions.at("/" + CORE + "Pod/description").asString()).startsWith("Pod is");
        assertThat(definitions.at("/" + CORE + "PodList/description").asString()).contains("list of Pod");

        JsonNode apps = v3("apis/apps/v1").at("/components/schemas");
        assertThat(gvks(apps.get("io.k8s.api.apps.v1.Deployment"))).containsExactly("apps/v1/Deployment");
    }

    @Test
    void patchAndListExtensionsFollowTheBuiltinPatchSchema() {
        JsonNode containers = OpenApi.v2().at("/definitions/" + CORE + "PodSpec/properties/containers");
        assertThat(containers.get("x-kubernetes-patch-strategy").asString()).isEqualTo("merge");
        assertThat(containers.get("x-kubernetes-patch-merge-key").asString()).isEqualTo("name");
        assertThat(containers.get("x-kubernetes-list-type").asString()).isEqualTo("map");
        assertThat(containers.get("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"name\"]");

        JsonNode schemas = v3("api/v1").at("/components/schemas");
        JsonNode v3Containers = schemas.at("/" + CORE + "PodSpec/properties/containers");
        assertThat(v3Containers.get("x-kubernetes-patch-merge-key").asString()).isEqualTo("name");
        assertThat(v3Containers.at("/items/$ref").asString()).isEqualTo("#/components/schemas/" + CORE + "Container");
        JsonNode ports = schemas.at("/" + CORE + "Container/properties/ports");
        assertThat(ports.get("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"containerPort\",\"protocol\"]");
        assertThat(schemas.at("/" + META + "ObjectMeta/properties/finalizers/x-kubernetes-list-type").asString())
                .isEqualTo("set");
        assertThat(schemas.at("/" + META + "LabelSelector/x-kubernetes-map-type").asString()).isEqualTo("atomic");

        // a reference with extensions beside it is wrapped in allOf in v3, as upstream does
        JsonNode strategy = v3("apis/apps/v1").at("/components/schemas/io.k8s.api.apps.v1.DeploymentSpec"
                + "/properties/strategy");
        assertThat(strategy.get("x-kubernetes-patch-strategy").asString()).isEqualTo("retainKeys");
        assertThat(strategy.at("/allOf/0/$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy");
        assertThat(strategy.has("$ref")).isFalse();
    }

    @Test
    void requiredFieldsComeFromTheKnownTable() {
        JsonNode definitions = OpenApi.v2().get("definitions");
        assertThat(definitions.at("/" + CORE + "Container/required").toString()).isEqualTo("[\"name\"]");
        assertThat(definitions.at("/" + CORE + "PodSpec/required").toString()).isEqualTo("[\"containers\"]");
        assertThat(definitions.at("/" + CORE + "PodList/required").toString()).isEqualTo("[\"items\"]");
        assertThat(definitions.at("/io.k8s.api.apps.v1.DeploymentSpec/required").toString())
                .isEqualTo("[\"selector\",\"template\"]");
    }

    @Test
    void everyWriteOperationAcceptsFieldValidation() {
        int writes = 0;
        for (String path : groupVersionPaths()) {
            for (Map.Entry<String, JsonNode> item : v3(path).get("paths").properties()) {
                for (String method : List.of("post", "put", "patch")) {
                    JsonNode operation = item.getValue().get(method);
                    if (operation != null) {
                        writes++;
                        assertThat(parameterNames(operation)).as(method + " " + item.getKey())
                                .contains("fieldValidation", "dryRun", "fieldManager");
                        assertThat(operation.get("x-kubernetes-group-version-kind").isObject()).isTrue();
                    }
                }
            }
        }
        assertThat(writes).isGreaterThan(100);
        JsonNode v2Patch = OpenApi.v2().at("/paths/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}/patch");
        assertThat(parameterNames(v2Patch)).contains("fieldValidation", "force", "body");
    }

    @Test
    void patchOperationsAcceptEveryPatchType() {
        JsonNode patch = v3("apis/apps/v1").at("/paths/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}"
                + "/patch");
        assertThat(patch.get("operationId").asString()).isEqualTo("patchAppsV1NamespacedDeployment");
        assertThat(patch.get("x-kubernetes-action").asString()).isEqualTo("patch");
        assertThat(patch.at("/x-kubernetes-group-version-kind/kind").asString()).isEqualTo("Deployment");
        assertThat(fieldNames(patch.at("/requestBody/content"))).containsExactlyInAnyOrder(
                "application/json-patch+json", "application/merge-patch+json",
                "application/strategic-merge-patch+json", "application/apply-patch+yaml");
        assertThat(patch.at("/responses/200/content/application~1json/schema/$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.api.apps.v1.Deployment");

        JsonNode scale = v3("apis/apps/v1").at("/paths/~1apis~1apps~1v1~1namespaces~1{namespace}~1deployments~1{name}"
                + "~1scale/patch");
        assertThat(scale.at("/x-kubernetes-group-version-kind/group").asString()).isEqualTo("autoscaling");
        assertThat(scale.at("/x-kubernetes-group-version-kind/kind").asString()).isEqualTo("Scale");
        JsonNode list = v3("api/v1").at("/paths/~1api~1v1~1namespaces~1{namespace}~1pods/get");
        assertThat(parameterNames(list)).contains("labelSelector", "fieldSelector", "watch", "limit", "continue");
        assertThat(list.get("x-kubernetes-action").asString()).isEqualTo("list");
    }

    @Test
    void everyRegisteredResourceHasItsPaths() {
        for (ResourceType type : REGISTRY.all()) {
            String gv = Documents.relativePath(type.group(), type.version());
            ObjectNode doc = v3(gv);
            assertThat(doc).as(gv).isNotNull();
            String collection = "/" + gv + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural();
            JsonNode paths = doc.get("paths");
            assertThat(paths.has(collection)).as(collection).isTrue();
            if (type.supports("get")) {
                JsonNode get = paths.at("/" + escape(collection + "/{name}") + "/get");
                assertThat(get.at("/x-kubernetes-group-version-kind/kind").asString()).as(collection)
                        .isEqualTo(type.kind());
            }
            type.subresources().forEach(sub -> assertThat(paths.has(collection + "/{name}/" + sub.name()))
                    .as(collection + " " + sub.name()).isTrue());
            assertThat(OpenApi.v2().get("paths").has(collection)).as(collection).isTrue();
        }
    }

    @Test
    void reviewMetricsAndWebhookTypesAreDescribedWithTheirKinds() {
        JsonNode definitions = OpenApi.v2().get("definitions");
        String authz = "io.k8s.api.authorization.v1.";
        String authn = "io.k8s.api.authentication.v1.";
        String metrics = "io.k8s.metrics.pkg.apis.metrics.v1beta1.";
        for (String kind : List.of("SelfSubjectAccessReview", "SubjectAccessReview", "LocalSubjectAccessReview",
                "SelfSubjectRulesReview")) {
            assertThat(definitions.has(authz + kind)).as(kind).isTrue();
            assertThat(gvks(definitions.get(authz + kind))).containsExactly("authorization.k8s.io/v1/" + kind);
        }
        for (String kind : List.of("TokenReview", "SelfSubjectReview", "TokenRequest")) {
            assertThat(gvks(definitions.get(authn + kind))).containsExactly("authentication.k8s.io/v1/" + kind);
        }
        assertThat(gvks(definitions.get(metrics + "NodeMetrics")))
                .containsExactly("metrics.k8s.io/v1beta1/NodeMetrics");
        assertThat(gvks(definitions.get(metrics + "PodMetricsList")))
                .containsExactly("metrics.k8s.io/v1beta1/PodMetricsList");
        assertThat(definitions.at("/" + authz + "SelfSubjectAccessReview/properties/spec/$ref").asString())
                .isEqualTo("#/definitions/" + authz + "SelfSubjectAccessReviewSpec");
        assertThat(definitions.at("/" + authn + "TokenReviewSpec/properties/token/type").asString())
                .isEqualTo("string");
        assertThat(definitions.at("/" + metrics + "PodMetrics/properties/containers/items/$ref").asString())
                .isEqualTo("#/definitions/" + metrics + "ContainerMetrics");

        // create-only reviews: one POST on the collection, as upstream documents them
        JsonNode reviews = v3("apis/authorization.k8s.io/v1").get("paths");
        JsonNode create = reviews.at("/" + escape("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") + "/post");
        assertThat(create.get("operationId").asString()).isEqualTo("createAuthorizationV1SelfSubjectAccessReview");
        assertThat(create.at("/x-kubernetes-group-version-kind/kind").asString()).isEqualTo("SelfSubjectAccessReview");
        assertThat(parameterNames(create)).contains("fieldValidation", "dryRun");
        assertThat(reviews.has("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews/{name}")).isFalse();
        assertThat(reviews.has("/apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews"))
                .isTrue();
        assertThat(v3("apis/authentication.k8s.io/v1").at("/paths/"
                + escape("/apis/authentication.k8s.io/v1/tokenreviews") + "/post/operationId").asString())
                .isEqualTo("createAuthenticationV1TokenReview");
        JsonNode token = v3("api/v1").at("/paths/"
                + escape("/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token") + "/post");
        assertThat(token.at("/x-kubernetes-group-version-kind/kind").asString()).isEqualTo("TokenRequest");

        // metrics-server's read-only paths
        JsonNode metricsPaths = v3("apis/metrics.k8s.io/v1beta1").get("paths");
        assertThat(metricsPaths.at("/" + escape("/apis/metrics.k8s.io/v1beta1/nodes/{name}")
                + "/get/x-kubernetes-group-version-kind/kind").asString()).isEqualTo("NodeMetrics");
        assertThat(metricsPaths.has("/apis/metrics.k8s.io/v1beta1/pods")).isTrue();
        assertThat(metricsPaths.has("/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods/{name}")).isTrue();
        assertThat(metricsPaths.at("/" + escape("/apis/metrics.k8s.io/v1beta1/nodes") + "/post").isMissingNode())
                .isTrue();

        assertThat(gvks(v3("apis/admissionregistration.k8s.io/v1").at("/components/schemas/"
                + "io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration")))
                .containsExactly("admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration");
    }

    @Test
    void operationIdsAreUniqueAcrossV2() {
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, JsonNode> item : OpenApi.v2().get("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : item.getValue().properties()) {
                if (!op.getKey().equals("parameters")) {
                    assertThat(ids.add(op.getValue().get("operationId").asString()))
                            .as(op.getValue().get("operationId").asString()).isTrue();
                }
            }
        }
        assertThat(ids).contains("listCoreV1PodForAllNamespaces", "createCoreV1NamespacedPodEviction",
                "replaceCoreV1NamespaceFinalize", "readAppsV1NamespacedDeploymentScale",
                "patchRbacAuthorizationV1ClusterRole", "watchCoreV1NamespacedPodList");
    }

    @Test
    void indexListsEveryServedGroupVersionWithAStableHash() {
        ObjectNode index = OpenApi.v3Index();
        for (String group : REGISTRY.groups()) {
            for (String version : REGISTRY.versions(group)) {
                String path = Documents.relativePath(group, version);
                assertThat(index.at("/paths/" + escape(path) + "/serverRelativeURL").asString())
                        .isEqualTo("/openapi/v3/" + path + "?hash=" + OpenApi.v3Hash(group, version));
            }
        }
        assertThat(OpenApi.v3Hash("apps", "v1")).hasSize(128).isEqualTo(OpenApi.v3Hash("apps", "v1"))
                .isNotEqualTo(OpenApi.v3Hash("", "v1"));
        assertThat(OpenApi.v3("example.com", "v1")).isNull();
        assertThat(OpenApi.v3Json("apps", "v2")).isNull();
        assertThat(v3("api/v1").get("openapi").asString()).isEqualTo("3.0.0");
        assertThat(OpenApi.v2().get("swagger").asString()).isEqualTo("2.0");
    }

    @Test
    void returnedTreesAreCopies() {
        OpenApi.v3("", "v1").remove("paths");
        OpenApi.v2().remove("definitions");
        assertThat(OpenApi.v3("", "v1").has("paths")).isTrue();
        assertThat(OpenApi.v2().has("definitions")).isTrue();
        assertThat(JsonMapper.builder().build().readTree(OpenApi.v3Json("", "v1"))).isEqualTo(OpenApi.v3("", "v1"));
    }

    private static List<String> groupVersionPaths() {
        List<String> paths = new ArrayList<>();
        REGISTRY.groups().forEach(g -> REGISTRY.versions(g).forEach(v -> paths.add(Documents.relativePath(g, v))));
        return paths;
    }

    private static ObjectNode v3(String relativePath) {
        String[] parts = relativePath.split("/");
        return parts[0].equals("api") ? OpenApi.v3("", parts[1]) : OpenApi.v3(parts[1], parts[2]);
    }

    private static List<String> refs(JsonNode node) {
        List<String> refs = new ArrayList<>();
        collect(node, refs);
        return refs;
    }

    private static void collect(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("$ref") && field.getValue().isString()) {
                    refs.add(field.getValue().asString());
                } else {
                    collect(field.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(item -> collect(item, refs));
        }
    }

    private static List<String> gvks(JsonNode schema) {
        List<String> gvks = new ArrayList<>();
        schema.get("x-kubernetes-group-version-kind").forEach(g ->
                gvks.add(g.get("group").asString() + "/" + g.get("version").asString() + "/" + g.get("kind").asString()));
        return gvks;
    }

    private static List<String> parameterNames(JsonNode operation) {
        List<String> names = new ArrayList<>();
        operation.get("parameters").forEach(p -> names.add(p.get("name").asString()));
        return names;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }
}
