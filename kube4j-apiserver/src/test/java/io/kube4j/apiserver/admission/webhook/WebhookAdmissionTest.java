package io.kube4j.apiserver.admission.webhook;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.admission.AdmissionChain;
import io.kube4j.apiserver.admission.AdmissionRequest;
import io.kube4j.apiserver.admission.MutatingAdmission;
import io.kube4j.apiserver.admission.Operation;
import io.kube4j.apiserver.authn.FakeLookup;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The webhook admission plugins against a real HTTPS webhook on loopback: denial and patch, timeouts under both
 * failure policies, service routing through EndpointSlices with the certificate checked for the service name,
 * reinvocation, selectors, dry-run side effects, matchPolicy, and malformed answers.
 */
class WebhookAdmissionTest {

    /** The webhook's certificate is valid for the service name and for 127.0.0.1 (url webhooks). */
    static TestWebhookServer webhook;
    /** A webhook whose certificate names another service. */
    static TestWebhookServer wrongName;
    static final AtomicInteger reinvocableCalls = new AtomicInteger();
    static final CountDownLatch together = new CountDownLatch(2);
    FakeLookup lookup;

    @BeforeAll
    static void start() throws Exception {
        webhook = new TestWebhookServer(List.of("hook.webhooks.svc", "127.0.0.1"));
        webhook.handle("/allow", request -> new TestWebhookServer.Answer(TestWebhookServer.allow(request, null), 0));
        webhook.handle("/deny", request -> new TestWebhookServer.Answer(
                TestWebhookServer.deny(request, 0, "no thanks"), 0));
        webhook.handle("/forbid", request -> new TestWebhookServer.Answer(
                TestWebhookServer.deny(request, 403, "not here"), 0));
        webhook.handle("/label", request -> new TestWebhookServer.Answer(TestWebhookServer.allow(request,
                "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"patched\":\"yes\"}}]"), 0));
        webhook.handle("/slow", request -> new TestWebhookServer.Answer(TestWebhookServer.allow(request, null), 3000));
        webhook.handle("/wrong-uid", request -> {
            ObjectNode response = TestWebhookServer.allow(request, null);
            response.put("uid", "not-the-request");
            return new TestWebhookServer.Answer(response, 0);
        });
        // records whether it saw the label "b" another webhook adds; counts its calls
        webhook.handle("/observe-b", request -> {
            reinvocableCalls.incrementAndGet();
            boolean sawB = request.path("object").path("metadata").path("labels").has("b");
            return new TestWebhookServer.Answer(TestWebhookServer.allow(request,
                    "[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"saw-b\":\"" + sawB + "\"}}]"), 0);
        });
        webhook.handle("/add-b", request -> new TestWebhookServer.Answer(TestWebhookServer.allow(request,
                "[{\"op\":\"add\",\"path\":\"/metadata/labels/b\",\"value\":\"yes\"}]"), 0));
        webhook.handle("/event-note", request -> new TestWebhookServer.Answer(TestWebhookServer.allow(request,
                "[{\"op\":\"replace\",\"path\":\"/note\",\"value\":\"rewritten\"}]"), 0));
        // each of two webhooks allows only once both requests are in: only parallel calls pass
        webhook.handle("/together", request -> {
            together.countDown();
            boolean both;
            try {
                both = together.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                both = false;
            }
            return new TestWebhookServer.Answer(both ? TestWebhookServer.allow(request, null)
                    : TestWebhookServer.deny(request, 0, "called alone"), 0);
        });
        webhook.handle("/deny-second", request -> new TestWebhookServer.Answer(
                TestWebhookServer.deny(request, 0, "second"), 0));
        wrongName = new TestWebhookServer(List.of("other.webhooks.svc"));
        wrongName.handle("/allow", request -> new TestWebhookServer.Answer(
                TestWebhookServer.allow(request, null), 0));
    }

    @AfterAll
    static void stop() {
        if (webhook != null) {
            webhook.close();
        }
        if (wrongName != null) {
            wrongName.close();
        }
    }

    @BeforeEach
    void freshCluster() {
        lookup = new FakeLookup();
        webhook.received.clear();
        reinvocableCalls.set(0);
        lookup.put("namespaces", namespace("default", "{}"));
    }

    // ---- fixtures ----

    private static ObjectNode json(String text) {
        return (ObjectNode) Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode namespace(String name, String labels) {
        return json("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name
                + "\",\"labels\":" + labels + "}}");
    }

    private static String url(TestWebhookServer server, String path) {
        return "{\"url\":\"https://127.0.0.1:" + server.port() + path + "\",\"caBundle\":\"" + server.caBundle() + "\"}";
    }

    private static String service(TestWebhookServer server, String name, String path, Integer port) {
        return "{\"service\":{\"namespace\":\"webhooks\",\"name\":\"" + name + "\",\"path\":\"" + path + "\""
                + (port == null ? "" : ",\"port\":" + port) + "},\"caBundle\":\"" + server.caBundle() + "\"}";
    }

    /** A webhook on ConfigMaps (all operations), with extra fields appended as JSON members. */
    private static ObjectNode hook(String name, String clientConfig, String extra) {
        return json("{\"name\":\"" + name + "\",\"clientConfig\":" + clientConfig + ",\"rules\":[{\"operations\":"
                + "[\"*\"],\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],\"resources\":[\"configmaps\"]}],"
                + "\"sideEffects\":\"None\",\"admissionReviewVersions\":[\"v1\"]" + extra + "}");
    }

    private void configure(boolean mutating, String name, ObjectNode... hooks) {
        ObjectNode configuration = json("{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\""
                + (mutating ? "Mutating" : "Validating") + "WebhookConfiguration\",\"metadata\":{\"name\":\""
                + name + "\"}}");
        configuration.putArray("webhooks").addAll(List.of(hooks));
        lookup.put(mutating ? "mutatingwebhookconfigurations" : "validatingwebhookconfigurations", configuration);
    }

    private static ObjectNode configMap(String namespace, String labels) {
        return json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"namespace\":\""
                + namespace + "\",\"labels\":" + labels + "},\"data\":{\"a\":\"b\"}}");
    }

    private static AdmissionRequest create(ObjectNode configMap, boolean dryRun) {
        return new AdmissionRequest(Operation.CREATE, "", "configmaps", "", Json.text(configMap, "metadata",
                "namespace"), "c", configMap, null, null, dryRun);
    }

    private AdmissionChain chain() {
        return new AdmissionChain(List.of(WebhookAdmission.mutating(lookup)),
                List.of(WebhookAdmission.validating(lookup)));
    }

    private void admit(AdmissionRequest request) {
        chain().admit(request);
    }

    /** A Service webhooks/NAME with port 443 (named https), ClusterIP 10.43.0.10 unless given. */
    private void service(String name, String clusterIp, int port) {
        lookup.put("services", json("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"webhooks\"},\"spec\":{\"clusterIP\":\"" + clusterIp + "\",\"ports\":[{\"name\":"
                + "\"https\",\"port\":" + port + ",\"targetPort\":8443}]}}"));
    }

    private void slice(String service, String address, int port, boolean ready) {
        lookup.put("endpointslices", json("{\"apiVersion\":\"discovery.k8s.io/v1\",\"kind\":\"EndpointSlice\","
                + "\"metadata\":{\"name\":\"" + service + "-" + address + "\",\"namespace\":\"webhooks\",\"labels\":"
                + "{\"kubernetes.io/service-name\":\"" + service + "\"}},\"addressType\":\"IPv4\",\"ports\":[{\"name\":"
                + "\"https\",\"port\":" + port + ",\"protocol\":\"TCP\"}],\"endpoints\":[{\"addresses\":[\"" + address
                + "\"],\"conditions\":{\"ready\":" + ready + "}}]}"));
    }

    private static String message(Throwable e) {
        return e.getMessage();
    }

    // ---- url webhooks: deny, patch, timeouts ----

    @Test
    void aDenialWithoutCodeIsA400WithTheWebhooksMessage() {
        configure(false, "deny", hook("deny.example.com", url(webhook, "/deny"), ""));
        assertThatThrownBy(() -> admit(create(configMap("default", "{}"), false)))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage())
                            .isEqualTo("admission webhook \"deny.example.com\" denied the request: no thanks");
                });
        ObjectNode review = webhook.received("/deny").get(0);
        assertThat(Json.text(review, "request", "operation")).isEqualTo("CREATE");
        assertThat(Json.text(review, "request", "kind", "kind")).isEqualTo("ConfigMap");
        assertThat(Json.text(review, "x-query")).isEqualTo("timeout=10s");
    }

    @Test
    void aDenialKeepsTheWebhooksCodeAndItsLackOfReason() {
        configure(false, "forbid", hook("forbid.example.com", url(webhook, "/forbid"), ""));
        assertThatThrownBy(() -> admit(create(configMap("default", "{}"), false)))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    ObjectNode status = e.toStatus();
                    assertThat(status.path("code").asInt()).isEqualTo(403);
                    // upstream sends the webhook's Status as it is: no reason, so kubectl says "Error from server:"
                    assertThat(status.has("reason")).isFalse();
                    assertThat(Json.text(status, "message"))
                            .isEqualTo("admission webhook \"forbid.example.com\" denied the request: not here");
                });
    }

    @Test
    void validatingWebhooksAreCalledInParallel() {
        configure(false, "one", hook("one.example.com", url(webhook, "/together"), ""));
        configure(false, "two", hook("two.example.com", url(webhook, "/together"), ""));
        admit(create(configMap("default", "{}"), false));
        assertThat(webhook.received("/together")).hasSize(2);
    }

    @Test
    void theFirstRefusalInConfigurationOrderIsTheAnswer() {
        configure(false, "a-first", hook("first.example.com", url(webhook, "/deny"), ""));
        configure(false, "b-second", hook("second.example.com", url(webhook, "/deny-second"), ""));
        assertThatThrownBy(() -> admit(create(configMap("default", "{}"), false)))
                .hasMessage("admission webhook \"first.example.com\" denied the request: no thanks");
        assertThat(webhook.received("/deny-second")).hasSize(1);
    }

    @Test
    void aMutatingWebhooksPatchChangesTheObject() {
        configure(true, "label", hook("label.example.com", url(webhook, "/label"), ""));
        ObjectNode object = configMap("default", "{}");
        admit(create(object, false));
        assertThat(Json.text(object, "metadata", "labels", "patched")).isEqualTo("yes");
    }

    @Test
    void aTimeoutFailsUnderFailAndPassesUnderIgnore() {
        configure(false, "slow", hook("slow.example.com", url(webhook, "/slow"),
                ",\"failurePolicy\":\"Fail\",\"timeoutSeconds\":1"));
        assertThatThrownBy(() -> admit(create(configMap("default", "{}"), false)))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(500);
                    assertThat(e.getMessage()).isEqualTo("Internal error occurred: failed calling webhook \"slow.example.com\": failed to call "
                            + "webhook: Post \"https://127.0.0.1:" + webhook.port()
                            + "/slow?timeout=1s\": context deadline exceeded");
                });
        configure(false, "slow", hook("slow.example.com", url(webhook, "/slow"),
                ",\"failurePolicy\":\"Ignore\",\"timeoutSeconds\":1"));
        admit(create(configMap("default", "{}"), false));
    }

    @Test
    void anAnswerForAnotherRequestIsACallFailure() {
        configure(false, "uid", hook("uid.example.com", url(webhook, "/wrong-uid"), ""));
        assertThatThrownBy(() -> admit(create(configMap("default", "{}"), false)))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage())
                        .startsWith("Internal error occurred: failed calling webhook \"uid.example.com\": received invalid webhook response: "
                                + "expected response.uid="));
    }

    @Test
    void aServerCertificateNotIssuedByTheCaBundleIsRefused() {
        // the caBundle of one server, the address of the other
        configure(false, "ca", hook("ca.example.com", "{\"url\":\"https://127.0.0.1:" + webhook.port()
                + "/allow\",\"caBundle\":\"" + wrongName.caBundle() + "\"}", ""));
        assertThatThrownBy(() -> admit(create(configMap("default", "{}"), false)))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(500));
        assertThat(webhook.received("/allow")).isEmpty();
    }

    // ---- clientConfig.service ----

    @Test
    void aServiceWebhookIsCalledAtAReadyEndpointWithTheServiceNameAsServerName() {
        service("hook", "10.43.0.10", 443);
        slice("hook", "127.0.0.2", webhook.port(), false);
        slice("hook", "127.0.0.1", webhook.port(), true);
        configure(false, "svc", hook("svc.example.com", service(webhook, "hook", "/allow", null), ""));
        admit(create(configMap("default", "{}"), false));
        assertThat(webhook.received("/allow")).hasSize(1);
        assertThat(webhook.sniNames).contains("hook.webhooks.svc");
    }

    @Test
    void aServiceWithoutReadyEndpointsCannotBeCalled() {
        service("hook", "10.43.0.10", 443);
        slice("hook", "127.0.0.1", webhook.port(), false);
        configure(false, "svc", hook("svc.example.com", service(webhook, "hook", "/allow", null), ""));
        assertThatThrownBy(() -> admit(create(configMap("default", "{}"), false)))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(500);
                    assertThat(e.getMessage()).isEqualTo("Internal error occurred: failed calling webhook \"svc.example.com\": failed to call "
                            + "webhook: Post \"https://hook.webhooks.svc:443/allow?timeout=10s\": no endpoints "
                            + "available for service \"webhooks/hook\"");
                });
        configure(false, "svc", hook("svc.example.com", service(webhook, "hook", "/allow", null),
                ",\"failurePolicy\":\"Ignore\""));
        admit(create(configMap("default", "{}"), false));
        assertThat(webhook.received("/allow")).isEmpty();
    }

    @Test
    void aServiceWithoutEndpointSlicesIsCalledAtItsClusterIp() {
        // loopback stands in for a ClusterIP the API server can route to
        service("hook", "127.0.0.1", webhook.port());
        configure(false, "svc", hook("svc.example.com", service(webhook, "hook", "/allow", webhook.port()), ""));
        admit(create(configMap("default", "{}"), false));
        assertThat(webhook.received("/allow")).hasSize(1);
    }

    @Test
    void aMissingServiceIsACallFailure() {
        configure(false, "svc", hook("svc.example.com", service(webhook, "nothing", "/allow", null), ""));
        assertThatThrownBy(() -> admit(create(configMap("default", "{}"), false)))
                .hasMessageEndingWith("service \"nothing\" not found");
    }

    @Test
    void theCertificateMustBeValidForTheServiceName() {
        service("hook", "10.43.0.10", 443);
        slice("hook", "127.0.0.1", wrongName.port(), true);
        configure(false, "svc", hook("svc.example.com", service(wrongName, "hook", "/allow", null), ""));
        assertThatThrownBy(() -> admit(create(configMap("default", "{}"), false)))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(500);
                    assertThat(message(e)).contains("tls:");
                });
        assertThat(wrongName.received("/allow")).isEmpty();
    }

    // ---- reinvocation ----

    @Test
    void anIfNeededWebhookIsCalledAgainWhenALaterWebhookChangesTheObject() {
        configure(true, "a", hook("observe.example.com", url(webhook, "/observe-b"),
                ",\"reinvocationPolicy\":\"IfNeeded\""));
        configure(true, "b", hook("add-b.example.com", url(webhook, "/add-b"), ""));
        ObjectNode object = configMap("default", "{}");
        admit(create(object, false));
        assertThat(reinvocableCalls).hasValue(2);
        assertThat(webhook.received("/add-b")).hasSize(1);
        assertThat(Json.text(object, "metadata", "annotations", "saw-b")).isEqualTo("true");
    }

    @Test
    void anIfNeededWebhookSeesAChangeByABuiltInPluginAfterIt() {
        configure(true, "a", hook("observe.example.com", url(webhook, "/observe-b"),
                ",\"reinvocationPolicy\":\"IfNeeded\""));
        MutatingAdmission addB = new MutatingAdmission() {
            @Override
            public String name() {
                return "AddB";
            }

            @Override
            public void admit(AdmissionRequest request) {
                Json.child(Json.child(request.object(), "metadata"), "labels").put("b", "yes");
            }
        };
        ObjectNode object = configMap("default", "{}");
        new AdmissionChain(List.of(WebhookAdmission.mutating(lookup), addB), List.of()).admit(create(object, false));
        assertThat(reinvocableCalls).hasValue(2);
        assertThat(Json.text(object, "metadata", "annotations", "saw-b")).isEqualTo("true");
    }

    @Test
    void aNeverWebhookIsCalledOnce() {
        configure(true, "a", hook("observe.example.com", url(webhook, "/observe-b"),
                ",\"reinvocationPolicy\":\"Never\""));
        configure(true, "b", hook("add-b.example.com", url(webhook, "/add-b"), ""));
        ObjectNode object = configMap("default", "{}");
        admit(create(object, false));
        assertThat(reinvocableCalls).hasValue(1);
        assertThat(Json.text(object, "metadata", "annotations", "saw-b")).isEqualTo("false");
    }

    @Test
    void noReinvocationWhenNothingChangedAfterTheWebhook() {
        configure(true, "a", hook("observe.example.com", url(webhook, "/observe-b"),
                ",\"reinvocationPolicy\":\"IfNeeded\""));
        admit(create(configMap("default", "{}"), false));
        assertThat(reinvocableCalls).hasValue(1);
    }

    // ---- selectors ----

    @Test
    void theNamespaceSelectorReadsTheNamespacesLabels() {
        lookup.put("namespaces", namespace("guarded", "{\"webhook\":\"on\"}"));
        configure(false, "deny", hook("deny.example.com", url(webhook, "/deny"),
                ",\"namespaceSelector\":{\"matchExpressions\":[{\"key\":\"webhook\",\"operator\":\"In\","
                        + "\"values\":[\"on\"]}]}"));
        admit(create(configMap("default", "{}"), false));
        assertThatThrownBy(() -> admit(create(configMap("guarded", "{}"), false)))
                .hasMessageContaining("denied the request");
    }

    @Test
    void aNamespaceIsMatchedByItsOwnNewLabels() {
        configure(false, "deny", json("{\"name\":\"deny.example.com\",\"clientConfig\":" + url(webhook, "/deny")
                + ",\"rules\":[{\"operations\":[\"CREATE\"],\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],"
                + "\"resources\":[\"namespaces\"]}],\"namespaceSelector\":{\"matchLabels\":{\"guard\":\"yes\"}},"
                + "\"sideEffects\":\"None\",\"admissionReviewVersions\":[\"v1\"]}"));
        admit(new AdmissionRequest(Operation.CREATE, "", "namespaces", "", "", "free", namespace("free", "{}"), null,
                null, false));
        assertThatThrownBy(() -> admit(new AdmissionRequest(Operation.CREATE, "", "namespaces", "", "", "guarded",
                namespace("guarded", "{\"guard\":\"yes\"}"), null, null, false)))
                .hasMessageContaining("denied the request");
    }

    @Test
    void theObjectSelectorMatchesTheNewOrTheOldObject() {
        configure(false, "deny", hook("deny.example.com", url(webhook, "/deny"),
                ",\"objectSelector\":{\"matchLabels\":{\"protected\":\"true\"}}"));
        admit(create(configMap("default", "{}"), false));
        assertThatThrownBy(() -> admit(create(configMap("default", "{\"protected\":\"true\"}"), false)))
                .hasMessageContaining("denied the request");
        // removing the label does not escape the webhook: the old object still carries it
        assertThatThrownBy(() -> admit(new AdmissionRequest(Operation.UPDATE, "", "configmaps", "", "default", "c",
                configMap("default", "{}"), configMap("default", "{\"protected\":\"true\"}"), null, false)))
                .hasMessageContaining("denied the request");
        assertThatThrownBy(() -> admit(new AdmissionRequest(Operation.DELETE, "", "configmaps", "", "default", "c",
                null, configMap("default", "{\"protected\":\"true\"}"), null, false)))
                .hasMessageContaining("denied the request");
    }

    // ---- dry run ----

    @Test
    void aWebhookWithSideEffectsRefusesADryRunWithoutBeingCalled() {
        // v1 refuses sideEffects Some at creation; such configurations survive from v1beta1
        configure(false, "effects", hook("effects.example.com", url(webhook, "/allow"), "")
                .put("sideEffects", "Some"));
        assertThatThrownBy(() -> admit(create(configMap("default", "{}"), true)))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage())
                            .isEqualTo("admission webhook \"effects.example.com\" does not support dry run");
                });
        assertThat(webhook.received("/allow")).isEmpty();
        admit(create(configMap("default", "{}"), false));
        assertThat(webhook.received("/allow")).hasSize(1);
    }

    @Test
    void aWebhookWithoutSideEffectsOnDryRunIsToldItIsADryRun() {
        configure(false, "effects", hook("effects.example.com", url(webhook, "/allow"), "")
                .put("sideEffects", "NoneOnDryRun"));
        admit(create(configMap("default", "{}"), true));
        assertThat(webhook.received("/allow")).singleElement()
                .satisfies(review -> assertThat(review.path("request").path("dryRun").asBoolean()).isTrue());
    }

    // ---- matchPolicy ----

    private static ObjectNode eventsV1Hook(String matchPolicy) {
        return json("{\"name\":\"events.example.com\",\"clientConfig\":" + url(webhook, "/event-note")
                + ",\"rules\":[{\"operations\":[\"CREATE\"],\"apiGroups\":[\"events.k8s.io\"],\"apiVersions\":"
                + "[\"v1\"],\"resources\":[\"events\"]}],\"matchPolicy\":\"" + matchPolicy + "\","
                + "\"sideEffects\":\"None\",\"admissionReviewVersions\":[\"v1\"]}");
    }

    private static ObjectNode coreEvent() {
        return json("{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"e\",\"namespace\":"
                + "\"default\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\",\"namespace\":\"default\"},"
                + "\"reason\":\"Started\",\"message\":\"original\",\"type\":\"Normal\"}");
    }

    @Test
    void anEquivalentWebhookSeesACoreEventAsEventsV1AndItsPatchComesBack() {
        configure(true, "events", eventsV1Hook("Equivalent"));
        ObjectNode event = coreEvent();
        admit(new AdmissionRequest(Operation.CREATE, "", "events", "", "default", "e", event, null, null, false));
        ObjectNode request = (ObjectNode) webhook.received("/event-note").get(0).get("request");
        assertThat(Json.text(request, "kind", "group")).isEqualTo("events.k8s.io");
        assertThat(Json.text(request, "requestKind", "group")).isEmpty();
        assertThat(Json.text(request, "object", "apiVersion")).isEqualTo("events.k8s.io/v1");
        assertThat(Json.text(request, "object", "note")).isEqualTo("original");
        assertThat(Json.text(event, "apiVersion")).isEqualTo("v1");
        assertThat(Json.text(event, "message")).isEqualTo("rewritten");
    }

    @Test
    void anExactWebhookIsNotCalledThroughAnotherGroup() {
        configure(true, "events", eventsV1Hook("Exact"));
        admit(new AdmissionRequest(Operation.CREATE, "", "events", "", "default", "e", coreEvent(), null, null,
                false));
        assertThat(webhook.received("/event-note")).isEmpty();
    }

    @Test
    void webhookConfigurationsAreNeverSentToWebhooks() {
        configure(false, "deny", json("{\"name\":\"deny.example.com\",\"clientConfig\":" + url(webhook, "/deny")
                + ",\"rules\":[{\"operations\":[\"*\"],\"apiGroups\":[\"*\"],\"apiVersions\":[\"*\"],"
                + "\"resources\":[\"*\"]}],\"sideEffects\":\"None\",\"admissionReviewVersions\":[\"v1\"]}"));
        admit(new AdmissionRequest(Operation.DELETE, "admissionregistration.k8s.io",
                "validatingwebhookconfigurations", "", "", "deny", null, json("{\"metadata\":{\"name\":\"deny\"}}"),
                null, false));
        assertThat(webhook.received("/deny")).isEmpty();
    }
}
