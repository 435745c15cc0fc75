package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The fixture's lifecycle, driven by calling its callbacks as JUnit would: each start gets a directory of its own
 * that closing removes, the configuration change reaches the server, and a per-class server registered where JUnit
 * would never start it says so instead of failing later with a null.
 */
class TestServerTest {

    @Test
    void perTestStartsAFreshServerInATempDirAndRemovesItAfterwards() {
        TestServer server = TestServer.perTest();
        server.beforeEach(null);
        Path first = server.dir();
        assertThat(server.get("/version").statusCode()).isEqualTo(200);
        assertThat(server.kubeconfig()).exists().startsWith(first);
        server.afterEach(null);
        assertThat(first).doesNotExist();

        server.beforeEach(null);
        try {
            assertThat(server.dir()).isNotEqualTo(first).exists();
            assertThat(server.get("/version").statusCode()).isEqualTo(200);
        } finally {
            server.afterEach(null);
        }
    }

    @Test
    void perClassServesEveryTestOfTheOutermostClassAndIgnoresPerTestCallbacks() {
        TestServer server = TestServer.perClass();
        server.beforeAll(null);
        Path dir = server.dir();
        int port = server.port();
        server.beforeAll(null); // a @Nested class
        server.beforeEach(null);
        server.afterEach(null);
        server.afterAll(null);
        assertThat(server.port()).isEqualTo(port);
        assertThat(server.get("/version").statusCode()).isEqualTo(200);
        server.afterAll(null);
        assertThat(dir).doesNotExist();
    }

    @Test
    void theConfigChangesReachTheServerInTheOrderGiven() {
        TestServer server = TestServer.perTest().withConfig(c -> c.withServiceCidr("10.78.0.0/16"))
                .withConfig(c -> c.withServiceCidr(c.serviceCidr().replace("78", "79")));
        server.beforeEach(null);
        try {
            // the kubernetes Service takes the range's first address
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    server.get("/api/v1/namespaces/default/services/kubernetes").body())
                    .contains("\"clusterIP\":\"10.79.0.1\""));
        } finally {
            server.afterEach(null);
        }
    }

    @Test
    void aPerClassServerOnAnInstanceFieldIsRefused() {
        TestServer server = TestServer.perClass();
        assertThatThrownBy(() -> server.beforeEach(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("static field");
    }

    @Test
    void aServerInATempDirOfItsOwnRemovesItWhenClosedAndOnlyManualOnesStartByHand() {
        Path dir;
        try (TestServer server = TestServer.inTempDir().start()) {
            dir = server.dir();
            assertThat(server.get("/version").statusCode()).isEqualTo(200);
        }
        assertThat(dir).doesNotExist();
        assertThatThrownBy(() -> TestServer.perTest().start()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aServerStartedOnAGivenDirectoryLeavesItInPlace(@TempDir Path dir) {
        try (TestServer server = TestServer.start(dir)) {
            assertThat(server.get("/version").statusCode()).isEqualTo(200);
        }
        assertThat(dir.resolve("store")).exists();
    }
}
