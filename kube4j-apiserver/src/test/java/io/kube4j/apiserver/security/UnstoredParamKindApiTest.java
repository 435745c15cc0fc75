package io.kube4j.apiserver.security;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A ValidatingAdmissionPolicy whose paramKind is a type the API server answers itself (metrics.k8s.io PodMetrics)
 * finds no params store for it, as upstream, whose param informers exist only for stored resources: the binding
 * cannot be set up ({@code paramKind kind ... not known}) and failurePolicy Fail refuses. PodMetrics shares its plural
 * with Pods, and a storage registry for it read the Pod of the same name as the param.
 */
class UnstoredParamKindApiTest {

    private static final String NS = "podmetrics";
    private static final String API = "/apis/admissionregistration.k8s.io/v1/";

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpClient admin;

    @BeforeAll
    static void start() {
        admin = server.admin();
        server.createNamespace(NS, Map.of("scenario", NS));
        // a Pod named as the binding's param: what a PodMetrics registry over /registry/pods/ would find
        created(server.send(admin, "POST", "/api/v1/namespaces/" + NS + "/pods", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},\"spec\":{\"automountServiceAccountToken\":false,"
                + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}"));
        created(yaml(API + "validatingadmissionpolicies", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: pod-metrics-params}
                spec:
                  paramKind: {apiVersion: metrics.k8s.io/v1beta1, kind: PodMetrics}
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
                  validations:
                  - expression: params.metadata.name != 'web'
                """));
        created(yaml(API + "validatingadmissionpolicybindings", """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: pod-metrics-params}
                spec:
                  policyName: pod-metrics-params
                  validationActions: [Deny]
                  paramRef: {name: web, namespace: %s, parameterNotFoundAction: Deny}
                  matchResources:
                    namespaceSelector: {matchLabels: {scenario: %s}}
                """.formatted(NS, NS)));
    }

    private static HttpResponse<String> yaml(String path, String body) {
        return server.send(admin, "POST", path, body, "Content-Type", "application/yaml");
    }

    private static void created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static HttpResponse<String> configMap(String name, String query) {
        return server.send(admin, "POST", "/api/v1/namespaces/" + NS + "/configmaps" + query,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"}}");
    }

    @Test
    void aParamKindServedWithoutStorageIsNotKnown() {
        // admission reads bindings from the watch cache: wait until a dry run (nothing stored) meets the binding
        await().atMost(Duration.ofSeconds(30)).until(() -> configMap("probe", "?dryRun=All").statusCode() != 201);

        HttpResponse<String> refused = configMap("cm", "");

        assertThat(refused.statusCode()).as(refused.body()).isNotEqualTo(201);
        assertThat(SecureServer.json(refused).path("message").asString()).contains("ValidatingAdmissionPolicy "
                + "'pod-metrics-params' with binding 'pod-metrics-params' denied request: failed to configure binding: "
                + "paramKind kind `&ParamKind{APIVersion:metrics.k8s.io/v1beta1,Kind:PodMetrics,}` not known");
        assertThat(server.get(admin, "/api/v1/namespaces/" + NS + "/configmaps/cm").statusCode()).isEqualTo(404);
        // PodMetrics are still served, by the metrics API
        assertThat(server.get(admin, "/apis/metrics.k8s.io/v1beta1/namespaces/" + NS + "/pods").statusCode())
                .isEqualTo(200);
    }
}
