package io.kube4j.apiserver.security;

import io.kube4j.store.ForwardingStore;
import io.kube4j.store.KeyValue;
import io.kube4j.store.StoreException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request no authorizer allowed while one could not evaluate it - here the Node authorizer, whose read of a pod's
 * claim fails in the store - is answered as upstream's authorization filter answers it: a plain-text 500 naming the
 * request and the error, not a 403; a SubjectAccessReview of the same request reports the error in
 * {@code status.evaluationError}.
 */
class AuthorizationEvaluationErrorApiTest {

    private static final AtomicBoolean FAIL_CLAIM_READS = new AtomicBoolean();
    private static final String TIMED_OUT = "etcdserver: request timed out";

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass(store -> new ForwardingStore(store) {
        @Override
        public Optional<KeyValue> get(String key, long revision) {
            if (FAIL_CLAIM_READS.get() && key.contains("/persistentvolumeclaims/")) {
                throw new StoreException.Unavailable(TIMED_OUT, null);
            }
            return super.get(key, revision);
        }
    });
    static HttpClient admin;
    static HttpClient nodeA;

    @BeforeAll
    static void start() {
        admin = server.admin();
        nodeA = server.client(server.server().pki().kubelet("node-a"));
        server.createNamespace("vol", Map.of());
        created(server.send(admin, "POST", "/api/v1/nodes", "{\"apiVersion\":\"v1\",\"kind\":\"Node\","
                + "\"metadata\":{\"name\":\"node-a\"}}"));
        assertThat(server.send(admin, "POST", "/api/v1/namespaces/vol/serviceaccounts", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\"}}").statusCode()).isIn(201, 409);
        created(server.send(admin, "POST", "/api/v1/namespaces/vol/persistentvolumeclaims", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"data\"},\"spec\":{\"accessModes\":"
                + "[\"ReadWriteOnce\"],\"resources\":{\"requests\":{\"storage\":\"1Gi\"}},\"volumeName\":\"pv-1\"}}"));
        created(server.send(admin, "POST", "/api/v1/namespaces/vol/pods", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\","
                + "\"metadata\":{\"name\":\"db\"},\"spec\":{\"nodeName\":\"node-a\",\"containers\":[{\"name\":\"c\","
                + "\"image\":\"busybox\"}],\"volumes\":[{\"name\":\"d\",\"persistentVolumeClaim\":{\"claimName\":"
                + "\"data\"}}]}}"));
        // the Node authorizer finds the pod in the watch cache: the volume of its claim is the node's to read (no
        // such volume: a 404 past authorization)
        await().until(() -> server.get(nodeA, "/api/v1/persistentvolumes/pv-1").statusCode() == 404);
    }

    private static void created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    @Test
    void aRefusalWithAnEvaluationErrorIsAPlainText500AndTheReviewsEvaluationError() {
        HttpResponse<String> failed;
        ObjectNode review;
        FAIL_CLAIM_READS.set(true);
        try {
            failed = server.get(nodeA, "/api/v1/persistentvolumes/pv-1?pretty=true");
            review = SecureServer.json(server.send(admin, "POST",
                    "/apis/authorization.k8s.io/v1/subjectaccessreviews", "{\"apiVersion\":\"authorization.k8s.io/v1\","
                            + "\"kind\":\"SubjectAccessReview\",\"spec\":{\"user\":\"system:node:node-a\",\"groups\":"
                            + "[\"system:nodes\"],\"resourceAttributes\":{\"verb\":\"get\",\"resource\":"
                            + "\"persistentvolumes\",\"name\":\"pv-1\"}}}"));
        } finally {
            FAIL_CLAIM_READS.set(false);
        }

        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
        assertThat(failed.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(failed.body()).startsWith("Internal Server Error: \"/api/v1/persistentvolumes/pv-1?pretty=true\": ")
                .contains(TIMED_OUT).endsWith("\n");
        assertThat(review.path("status").path("allowed").asBoolean(true)).isFalse();
        assertThat(review.path("status").path("evaluationError").asString()).contains(TIMED_OUT);

        assertThat(server.get(nodeA, "/api/v1/persistentvolumes/pv-1").statusCode()).isEqualTo(404);
    }
}
