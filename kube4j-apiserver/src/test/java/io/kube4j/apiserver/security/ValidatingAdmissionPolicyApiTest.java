package io.kube4j.apiserver.security;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ValidatingAdmissionPolicies through the secure API server: served with upstream's defaults, validation and columns
 * (to the real kubectl too), and enforced by admission - a Deny binding refuses with upstream's Status, a Warn binding
 * admits with upstream's Warning, params come from a ConfigMap.
 */
class ValidatingAdmissionPolicyApiTest {

    private static final String API = "/apis/admissionregistration.k8s.io/v1/";
    private static final String POLICIES = API + "validatingadmissionpolicies";
    private static final String BINDINGS = API + "validatingadmissionpolicybindings";

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpClient admin;

    @BeforeAll
    static void start() {
        admin = server.admin();
        for (String namespace : List.of("deny", "warn", "params")) {
            server.createNamespace(namespace, Map.of("scenario", namespace));
        }
        created(post(POLICIES, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: max-replicas}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
                  validations:
                  - expression: object.spec.replicas <= 5
                """));
        for (String action : List.of("Deny", "Warn")) {
            String scenario = action.toLowerCase(java.util.Locale.ROOT);
            created(post(BINDINGS, """
                    apiVersion: admissionregistration.k8s.io/v1
                    kind: ValidatingAdmissionPolicyBinding
                    metadata: {name: max-replicas-%s}
                    spec:
                      policyName: max-replicas
                      validationActions: [%s]
                      matchResources:
                        namespaceSelector: {matchLabels: {scenario: %s}}
                    """.formatted(scenario, action, scenario)));
        }
        // the admission plugin reads bindings from the watch cache: wait until dry runs (nothing stored) see both
        await().atMost(Duration.ofSeconds(30)).until(() -> deployment("deny", "probe", 6, "?dryRun=All")
                .statusCode() == 422 && !deployment("warn", "probe", 6, "?dryRun=All").headers()
                .allValues("Warning").isEmpty());
    }

    private static HttpResponse<String> post(String path, String yaml) {
        return server.send(admin, "POST", path, yaml, "Content-Type", "application/yaml");
    }

    private static HttpResponse<String> created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response;
    }

    private static HttpResponse<String> deployment(String namespace, String name, int replicas, String query) {
        return server.send(admin, "POST", "/apis/apps/v1/namespaces/" + namespace + "/deployments" + query, ("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},"spec":{"replicas":%d,
                "selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
                "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}""").formatted(name, replicas));
    }

    @Test
    void aDenyBindingRefusesSixReplicasWithUpstreamsStatus() {
        HttpResponse<String> refused = deployment("deny", "web", 6, "");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        ObjectNode status = SecureServer.json(refused);
        String why = "ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-deny' denied request: "
                + "failed expression: object.spec.replicas <= 5";
        assertThat(status.path("reason").asString()).isEqualTo("Invalid");
        assertThat(status.path("message").asString()).isEqualTo("deployments.apps \"web\" is forbidden: " + why);
        assertThat(status.path("details").path("causes").get(0).path("message").asString()).isEqualTo(why);
        assertThat(server.get(admin, "/apis/apps/v1/namespaces/deny/deployments/web").statusCode()).isEqualTo(404);

        created(deployment("deny", "small", 5, ""));
    }

    @Test
    void aWarnBindingAdmitsWithAWarningHeader() {
        HttpResponse<String> admitted = created(deployment("warn", "web", 6, ""));

        assertThat(admitted.headers().allValues("Warning")).containsExactly("299 - \"Validation failed for "
                + "ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-warn': failed expression: "
                + "object.spec.replicas <= 5\"");
    }

    @Test
    void paramsComeFromAConfigMap() {
        created(server.send(admin, "POST", "/api/v1/namespaces/params/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"limits\"},"
                        + "\"data\":{\"maxReplicas\":\"2\"}}"));
        created(post(POLICIES, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: replicas-from-params}
                spec:
                  paramKind: {apiVersion: v1, kind: ConfigMap}
                  matchConstraints:
                    namespaceSelector: {matchLabels: {scenario: params}}
                    resourceRules:
                    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
                  validations:
                  - expression: object.spec.replicas <= int(params.data.maxReplicas)
                    messageExpression: "'at most ' + params.data.maxReplicas + ' replicas in ' + namespaceObject.metadata.name"
                    reason: Forbidden
                """));
        created(post(BINDINGS, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: replicas-from-params}
                spec:
                  policyName: replicas-from-params
                  validationActions: [Deny]
                  paramRef: {name: limits}
                """));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> refused = deployment("params", "web", 3, "");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(SecureServer.json(refused).path("message").asString()).endsWith(
                    "binding 'replicas-from-params' denied request: at most 2 replicas in params");
        });
        created(deployment("params", "two", 2, ""));
    }

    @Test
    void policiesGetUpstreamsDefaultsGenerationAndStatus() {
        ObjectNode policy = SecureServer.json(server.get(admin, POLICIES + "/max-replicas"));

        assertThat(policy.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(policy.path("spec").path("failurePolicy").asString()).isEqualTo("Fail");
        ObjectNode constraints = (ObjectNode) policy.path("spec").path("matchConstraints");
        assertThat(constraints.path("matchPolicy").asString()).isEqualTo("Equivalent");
        assertThat(constraints.path("namespaceSelector").isObject()).isTrue();
        assertThat(constraints.path("objectSelector").isObject()).isTrue();
        assertThat(constraints.path("resourceRules").get(0).path("scope").asString()).isEqualTo("*");

        HttpResponse<String> status = server.send(admin, "PATCH", POLICIES + "/max-replicas/status",
                "{\"status\":{\"observedGeneration\":1},\"spec\":{\"failurePolicy\":\"Ignore\"}}",
                "Content-Type", "application/merge-patch+json");
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        ObjectNode patched = SecureServer.json(status);
        assertThat(patched.path("status").path("observedGeneration").asLong()).isEqualTo(1);
        assertThat(patched.path("spec").path("failurePolicy").asString()).isEqualTo("Fail");
    }

    @Test
    void invalidPoliciesAndBindingsAreRefusedWithFieldCauses() {
        HttpResponse<String> policy = post(POLICIES, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: broken}
                spec:
                  failurePolicy: Sometimes
                  validations:
                  - expression: object.spec.replicas <=
                """);
        assertThat(policy.statusCode()).as(policy.body()).isEqualTo(422);
        assertThat(causeFields(policy)).containsExactlyInAnyOrder("spec.failurePolicy", "spec.matchConstraints",
                "spec.validations[0].expression");
        assertThat(SecureServer.json(policy).path("message").asString()).startsWith(
                "ValidatingAdmissionPolicy.admissionregistration.k8s.io \"broken\" is invalid: [")
                .contains("spec.validations[0].expression: Invalid value: \"object.spec.replicas <=\": "
                        + "compilation failed: ");

        HttpResponse<String> binding = post(BINDINGS, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: broken}
                spec:
                  validationActions: [Deny, Warn]
                  paramRef: {name: a, selector: {}}
                """);
        assertThat(binding.statusCode()).as(binding.body()).isEqualTo(422);
        assertThat(causeFields(binding)).containsExactlyInAnyOrder("spec.policyName", "spec.paramRef.name",
                "spec.paramRef.selector", "spec.validationActions");
    }

    @Test
    void anExpressionIsCompiledWithUpstreamsRequestTypeAndErrors() {
        HttpResponse<String> refused = post(POLICIES, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: typed-request}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
                  validations:
                  - expression: request.foo == 'x'
                  - expression: request.name + 1 == 2
                """);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        ObjectNode status = SecureServer.json(refused);
        String foo = "Invalid value: \"request.foo == 'x'\": compilation failed: ERROR: <input>:1:8: undefined "
                + "field 'foo'\n | request.foo == 'x'\n | .......^";
        String plus = "Invalid value: \"request.name + 1 == 2\": compilation failed: ERROR: <input>:1:14: found no "
                + "matching overload for '_+_' applied to '(string, int)'\n | request.name + 1 == 2\n | .............^";
        assertThat(status.path("message").asString()).isEqualTo("ValidatingAdmissionPolicy.admissionregistration"
                + ".k8s.io \"typed-request\" is invalid: [spec.validations[0].expression: " + foo
                + ", spec.validations[1].expression: " + plus + "]");
        assertThat(causeFields(refused)).containsExactly("spec.validations[0].expression",
                "spec.validations[1].expression");
        assertThat(status.path("details").path("causes").get(0).path("message").asString()).isEqualTo(foo);
        assertThat(server.get(admin, POLICIES + "/typed-request").statusCode()).isEqualTo(404);
    }

    private static List<String> causeFields(HttpResponse<String> response) {
        List<String> fields = new ArrayList<>();
        SecureServer.json(response).path("details").path("causes")
                .forEach(cause -> fields.add(cause.path("field").asString()));
        return fields;
    }

    @Test
    void kubectlAppliesAPolicyAndPrintsUpstreamsColumns() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl not installed");
        Path manifest = server.dir().resolve("policy.yaml");
        Files.writeString(manifest, """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: kubectl-policy}
                spec:
                  paramKind: {apiVersion: v1, kind: ConfigMap}
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [secrets]}
                  validations:
                  - expression: "true"
                  - expression: "!has(object.data)"
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: kubectl-binding}
                spec:
                  policyName: kubectl-policy
                  validationActions: [Audit]
                  paramRef: {name: limits, parameterNotFoundAction: Allow}
                """);

        String applied = kubectl("apply", "-f", manifest.toString());
        assertThat(applied).contains("validatingadmissionpolicy.admissionregistration.k8s.io/kubectl-policy created",
                "validatingadmissionpolicybinding.admissionregistration.k8s.io/kubectl-binding created");
        List<String> policies = kubectl("get", "validatingadmissionpolicies", "kubectl-policy").lines().toList();
        assertThat(policies.get(0).split("\\s+")).containsExactly("NAME", "VALIDATIONS", "PARAMKIND", "AGE");
        assertThat(policies.get(1).split("\\s+")).startsWith("kubectl-policy", "2", "v1/ConfigMap");
        List<String> bindings = kubectl("get", "validatingadmissionpolicybindings", "kubectl-binding").lines().toList();
        assertThat(bindings.get(0).split("\\s+")).containsExactly("NAME", "POLICYNAME", "PARAMREF", "AGE");
        assertThat(bindings.get(1).split("\\s+")).startsWith("kubectl-binding", "kubectl-policy", "*/limits");
        // applied again: kubectl's patch restores the rules without their defaulted scope, which defaulting sets
        // again, so the spec and its generation do not change
        kubectl("apply", "-f", manifest.toString());
        assertThat(SecureServer.json(server.get(admin, POLICIES + "/kubectl-policy")).path("metadata")
                .path("generation").asLong()).isEqualTo(1);
    }

    private static String kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/kubectl", "--kubeconfig",
                server.server().kubeconfig().toString(), "--cache-dir", server.dir().resolve("cache").toString(),
                "--request-timeout=20s"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("kubectl hung: " + command);
        }
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
