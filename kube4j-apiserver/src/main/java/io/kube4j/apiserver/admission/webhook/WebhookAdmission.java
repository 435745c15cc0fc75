package io.kube4j.apiserver.admission.webhook;

import io.kube4j.api.patch.JsonPatch;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import io.kube4j.apiserver.admission.AdmissionRequest;
import io.kube4j.apiserver.admission.MutatingAdmission;
import io.kube4j.apiserver.admission.Operation;
import io.kube4j.apiserver.admission.ValidatingAdmission;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.authn.TokenReviews;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.pki.Pem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Admission webhooks (admissionregistration.k8s.io/v1): for every webhook of every
 * MutatingWebhookConfiguration (or ValidatingWebhookConfiguration) whose rules and selectors match, POSTs an
 * admission.k8s.io/v1 AdmissionReview over HTTPS to {@code clientConfig.url}, trusting {@code caBundle}, within
 * {@code timeoutSeconds} (default 10). A denial is refused with the webhook's message; a mutating webhook's
 * JSONPatch is applied to the object. A webhook that cannot be called or answers nonsense fails the request
 * under {@code failurePolicy: Fail} (the default) and is skipped under {@code Ignore}. Webhook configurations
 * themselves are never sent to webhooks, so a broken webhook can always be removed.
 * {@code clientConfig.service} is not supported yet (the API server does not route to ClusterIPs): such a
 * webhook counts as unreachable.
 */
public final class WebhookAdmission implements MutatingAdmission, ValidatingAdmission {

    static final String GROUP = "admissionregistration.k8s.io";
    private static final long DEFAULT_TIMEOUT_SECONDS = 10;

    private final ObjectLookup lookup;
    private final boolean mutating;

    private WebhookAdmission(ObjectLookup lookup, boolean mutating) {
        this.lookup = lookup;
        this.mutating = mutating;
    }

    public static WebhookAdmission mutating(ObjectLookup lookup) {
        return new WebhookAdmission(lookup, true);
    }

    public static WebhookAdmission validating(ObjectLookup lookup) {
        return new WebhookAdmission(lookup, false);
    }

    @Override
    public String name() {
        return mutating ? "MutatingAdmissionWebhook" : "ValidatingAdmissionWebhook";
    }

    @Override
    public void admit(AdmissionRequest request) {
        run(request);
    }

    @Override
    public void validate(AdmissionRequest request) {
        run(request);
    }

    private void run(AdmissionRequest request) {
        if (request.group().equals(GROUP) || request.operation() == Operation.CONNECT) {
            return;
        }
        List<ObjectNode> configurations = lookup.list(mutating ? "mutatingwebhookconfigurations"
                : "validatingwebhookconfigurations", null);
        if (configurations.isEmpty()) {
            return;
        }
        configurations = configurations.stream()
                .sorted(java.util.Comparator.comparing(c -> String.valueOf(Json.text(c, "metadata", "name"))))
                .toList();
        for (ObjectNode configuration : configurations) {
            JsonNode webhooks = configuration.get("webhooks");
            if (webhooks == null || !webhooks.isArray()) {
                continue;
            }
            for (JsonNode webhook : webhooks) {
                if (webhook instanceof ObjectNode hook && applies(hook, request)) {
                    call(hook, request);
                }
            }
        }
    }

    private boolean applies(ObjectNode hook, AdmissionRequest request) {
        if (!WebhookRules.matches(hook.get("rules"), request, version(request))) {
            return false;
        }
        ObjectNode namespaceSelector = Json.obj(hook, "namespaceSelector");
        if (namespaceSelector != null && !namespaceSelector.isEmpty()) {
            Map<String, String> labels;
            if (request.namespace().isEmpty()) {
                // a cluster-scoped object is matched by its own labels when it is a Namespace, else always
                labels = request.isCore("namespaces") ? labels(request) : null;
            } else {
                labels = lookup.get("namespaces", null, request.namespace())
                        .map(ns -> Json.stringMap(Json.obj(ns, "metadata", "labels"))).orElse(Map.of());
            }
            if (labels != null && !selector(namespaceSelector).matches(labels)) {
                return false;
            }
        }
        ObjectNode objectSelector = Json.obj(hook, "objectSelector");
        return objectSelector == null || objectSelector.isEmpty() || selector(objectSelector).matches(labels(request));
    }

    private static LabelSelector selector(ObjectNode json) {
        try {
            return LabelSelector.fromJson(json);
        } catch (RuntimeException invalid) {
            return LabelSelector.fromJson(Json.object().putObject("matchLabels").put("kube4j.io/never", "\u0000"));
        }
    }

    private static Map<String, String> labels(AdmissionRequest request) {
        ObjectNode object = request.object() != null ? request.object() : request.oldObject();
        return object == null ? Map.of() : Json.stringMap(Json.obj(object, "metadata", "labels"));
    }

    private static String version(AdmissionRequest request) {
        ObjectNode object = request.object() != null ? request.object() : request.oldObject();
        String apiVersion = object == null ? null : Json.text(object, "apiVersion");
        if (apiVersion == null) {
            return "v1";
        }
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    }

    private void call(ObjectNode hook, AdmissionRequest request) {
        String name = String.valueOf(Json.text(hook, "name"));
        boolean ignoreFailure = "Ignore".equals(Json.text(hook, "failurePolicy"));
        ObjectNode response;
        try {
            response = post(hook, review(request));
        } catch (WebhookFailure e) {
            if (ignoreFailure) {
                return;
            }
            throw StatusException.internalError("failed calling webhook \"" + name + "\": " + e.getMessage());
        }
        if (!response.path("allowed").asBoolean(false)) {
            ObjectNode status = Json.obj(response, "status");
            String message = status == null ? null : Json.text(status, "message");
            int code = status != null && status.path("code").asInt(0) >= 400 ? status.path("code").asInt() : 403;
            throw new StatusException(code, StatusReason.FORBIDDEN, "admission webhook \"" + name
                    + "\" denied the request" + (message == null || message.isEmpty() ? "" : ": " + message), null);
        }
        String patch = Json.text(response, "patch");
        if (patch != null && !patch.isEmpty()) {
            if (!mutating || request.object() == null) {
                if (ignoreFailure) {
                    return;
                }
                throw StatusException.internalError("failed calling webhook \"" + name
                        + "\": a validating webhook or a DELETE may not patch");
            }
            try {
                JsonNode operations = Json.parse(Base64.getDecoder().decode(patch));
                JsonNode patched = JsonPatch.apply(request.object().deepCopy(), operations);
                if (!(patched instanceof ObjectNode object)) {
                    throw new IllegalArgumentException("the patch does not result in an object");
                }
                request.object().removeAll();
                request.object().setAll(object);
            } catch (RuntimeException e) {
                if (ignoreFailure) {
                    return;
                }
                throw StatusException.internalError("failed calling webhook \"" + name
                        + "\": cannot apply its patch: " + e.getMessage());
            }
        }
        JsonNode warnings = response.get("warnings");
        if (warnings != null && warnings.isArray()) {
            warnings.forEach(w -> request.warn(w.asString("")));
        }
    }

    private static ObjectNode review(AdmissionRequest request) {
        ObjectNode review = Json.object();
        review.put("apiVersion", "admission.k8s.io/v1");
        review.put("kind", "AdmissionReview");
        ObjectNode r = review.putObject("request");
        r.put("uid", UUID.randomUUID().toString());
        ObjectNode object = request.object() != null ? request.object() : request.oldObject();
        String kind = object == null ? "" : String.valueOf(Json.text(object, "kind"));
        String version = version(request);
        r.putObject("kind").put("group", request.group()).put("version", version).put("kind", kind);
        r.putObject("resource").put("group", request.group()).put("version", version)
                .put("resource", request.resource());
        if (!request.subresource().isEmpty()) {
            r.put("subResource", request.subresource());
        }
        r.set("requestKind", r.get("kind").deepCopy());
        r.set("requestResource", r.get("resource").deepCopy());
        r.put("name", request.name());
        if (!request.namespace().isEmpty()) {
            r.put("namespace", request.namespace());
        }
        r.put("operation", request.operation().name());
        if (request.user() != null) {
            r.set("userInfo", TokenReviews.userJson(request.user()));
        }
        r.set("object", request.object() == null ? Json.object().nullNode() : request.object().deepCopy());
        r.set("oldObject", request.oldObject() == null ? Json.object().nullNode() : request.oldObject().deepCopy());
        r.put("dryRun", request.dryRun());
        return review;
    }

    private static ObjectNode post(ObjectNode hook, ObjectNode review) throws WebhookFailure {
        ObjectNode clientConfig = Json.obj(hook, "clientConfig");
        String url = clientConfig == null ? null : Json.text(clientConfig, "url");
        if (url == null || url.isEmpty()) {
            throw new WebhookFailure("only clientConfig.url is supported");
        }
        long timeout = hook.path("timeoutSeconds").asLong(DEFAULT_TIMEOUT_SECONDS);
        timeout = Math.max(1, Math.min(30, timeout));
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(timeout))
                    .sslContext(trusting(Json.text(clientConfig, "caBundle"))).build();
            HttpRequest post = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(timeout))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(review))).build();
            HttpResponse<byte[]> answer = client.send(post, HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() != 200) {
                throw new WebhookFailure("the server responded with code " + answer.statusCode());
            }
            JsonNode body = Json.parse(answer.body());
            JsonNode response = body.get("response");
            if (!(response instanceof ObjectNode result)) {
                throw new WebhookFailure("the response has no AdmissionReview response");
            }
            String uid = Json.text(result, "uid");
            if (uid != null && !uid.equals(Json.text(review, "request", "uid"))) {
                throw new WebhookFailure("expected response.uid=" + Json.text(review, "request", "uid")
                        + ", got " + uid);
            }
            return result;
        } catch (java.net.http.HttpTimeoutException e) {
            throw new WebhookFailure("context deadline exceeded (timeout " + timeout + "s)");
        } catch (IOException | IllegalArgumentException | tools.jackson.core.JacksonException e) {
            throw new WebhookFailure(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WebhookFailure("interrupted");
        }
    }

    private static SSLContext trusting(String caBundle) throws WebhookFailure {
        try {
            if (caBundle == null || caBundle.isEmpty()) {
                return SSLContext.getDefault();
            }
            String pem = new String(Base64.getDecoder().decode(caBundle.trim()), StandardCharsets.UTF_8);
            List<X509Certificate> cas = Pem.parseCertificates(pem);
            if (cas.isEmpty()) {
                throw new WebhookFailure("caBundle holds no certificate");
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                trust.setCertificateEntry("ca" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            throw new WebhookFailure("invalid caBundle: " + e.getMessage());
        }
    }

    /** The webhook could not be called or answered something unusable. */
    private static final class WebhookFailure extends Exception {
        WebhookFailure(String message) {
            super(message);
        }
    }
}
