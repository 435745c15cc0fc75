package io.kube4j.apiserver;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API server's identity lease as upstream's: named from the host name exactly as upstream hashes it, labelled,
 * renewed, and collected once expired (only identity leases in kube-system).
 */
class ApiServerIdentityTest {

    @TempDir
    Path dir;

    @Test
    void theIdIsUpstreamsHashOfTheHostName() {
        // upstream's recipe computed apart (Python's hashlib and base64): 2-byte length prefixes, SHA-256, base32 of
        // the first 16 bytes without padding, lower case
        assertThat(ApiServerIdentity.idOf("kind-control-plane")).isEqualTo("apiserver-c7uylvfxlbqccnk6myfkwetzze");
        assertThat(ApiServerIdentity.idOf("")).isEqualTo("apiserver-2ikcnb3wory4bpirwz777r2iv4");
    }

    @Test
    void aStartedServerHoldsItsLabelledLease() {
        try (TestServer server = TestServer.inTempDir().start()) {
            String id = ApiServerIdentity.idOf(ApiServerIdentity.hostname());
            String path = "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/" + id;
            JsonNode lease = Json.parse(await().until(() -> server.get(path), r -> r.statusCode() == 200).body()
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(lease.path("metadata").path("labels").path("apiserver.kubernetes.io/identity").asString())
                    .isEqualTo("kube-apiserver");
            assertThat(lease.path("metadata").path("labels").path("kubernetes.io/hostname").asString())
                    .isEqualTo(ApiServerIdentity.hostname());
            assertThat(lease.path("spec").path("holderIdentity").asString()).startsWith(id + "_");
            assertThat(lease.path("spec").path("leaseDurationSeconds").asLong()).isEqualTo(3600);
            assertThat(lease.path("spec").path("renewTime").asString())
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
            assertThat(lease.path("metadata").path("managedFields").get(0).path("manager").asString())
                    .isEqualTo("kube-apiserver");
        }
    }

    @Test
    void renewingMovesTheRenewTimeAndExpiredIdentitiesAreCollected() {
        EmbeddedStore store = EmbeddedStore.open(dir.resolve("store"));
        try {
            Resources resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
            Bootstrap.run(resources); // kube-system and default
            GenericRegistry leases = resources.find("coordination.k8s.io", "v1", "leases").orElseThrow();
            Instant start = Instant.parse("2026-11-27T10:00:00Z");
            ApiServerIdentity early = new ApiServerIdentity(resources, Clock.fixed(start, ZoneOffset.UTC), "host-a");
            early.renew();
            ApiServerIdentity later = new ApiServerIdentity(resources, Clock.fixed(start.plusSeconds(10),
                    ZoneOffset.UTC), "host-a");
            later.renew();
            ObjectNode renewed = leases.get("kube-system", early.id());
            assertThat(Json.text(renewed, "spec", "renewTime")).isEqualTo("2026-11-27T10:00:10.000000Z");

            // a user's lease with the label elsewhere, and one without it in kube-system, are not identities to collect
            for (String[] other : new String[][] {{"default", "apiserver.kubernetes.io/identity"}, {"kube-system", "x"}}) {
                ObjectNode lease = Json.object("coordination.k8s.io/v1", "Lease", other[0], "old");
                Json.metadata(lease).putObject("labels").put(other[1], "kube-apiserver");
                lease.putObject("spec").put("leaseDurationSeconds", 1).put("renewTime", "2026-11-27T08:00:00.000000Z");
                leases.create(other[0], lease, false);
            }
            // host-b's server stopped renewing an hour and a second before host-a's next collection
            new ApiServerIdentity(resources, Clock.fixed(start.minusSeconds(3601), ZoneOffset.UTC), "host-b").renew();
            later.collectExpired();
            assertThat(leases.find("kube-system", ApiServerIdentity.idOf("host-b"))).isEmpty();
            assertThat(leases.find("kube-system", early.id())).isPresent();
            assertThat(leases.find("default", "old")).isPresent();
            assertThat(leases.find("kube-system", "old")).isPresent();
        } finally {
            store.close();
        }
    }
}
