package io.kube4j.apiserver.health;

import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /healthz, /livez and /readyz answer as upstream's healthz package: named checks, verbose lists, exclusions, one
 * check alone, and a 500 listing every check when one fails - the store's included, which used to be "ok" always.
 */
class HealthChecksTest {

    /** A store whose health a test switches; everything else it is never asked. */
    private static Store store(AtomicBoolean healthy) {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("checkHealthy")) {
                        if (!healthy.get()) {
                            throw new StoreException.Unavailable("the store's log failed", null);
                        }
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void verboseListsEveryCheckAndAFailureIsA500ThatListsThemAlways() {
        AtomicBoolean healthy = new AtomicBoolean(true);
        HealthChecks checks = new HealthChecks(store(healthy)).hook("start-system-namespaces-controller");
        assertThat(checks.all("readyz", false, List.of()).code()).as("a hook not done yet").isEqualTo(500);
        checks.hookDone("start-system-namespaces-controller");

        assertThat(checks.all("readyz", false, List.of())).isEqualTo(new HealthChecks.Answer(200, "ok"));
        assertThat(checks.all("readyz", true, List.of()).body()).isEqualTo("""
                [+]ping ok
                [+]etcd ok
                [+]poststarthook/start-system-namespaces-controller ok
                [+]shutdown ok
                readyz check passed
                """);
        assertThat(checks.all("livez", true, List.of()).body()).doesNotContain("shutdown").endsWith("livez check passed\n");

        healthy.set(false);
        assertThat(checks.all("healthz", false, List.of())).isEqualTo(new HealthChecks.Answer(500, """
                [+]ping ok
                [-]etcd failed: reason withheld
                [+]poststarthook/start-system-namespaces-controller ok
                healthz check failed
                """));
        assertThat(checks.one("readyz", "etcd"))
                .isEqualTo(new HealthChecks.Answer(500, "internal server error: the store's log failed\n"));
        assertThat(checks.one("readyz", "ping")).isEqualTo(new HealthChecks.Answer(200, "ok"));
        assertThat(checks.all("readyz", true, List.of("etcd", "nope")).body()).isEqualTo("""
                [+]ping ok
                [+]etcd excluded: ok
                [+]poststarthook/start-system-namespaces-controller ok
                [+]shutdown ok
                warn: some health checks cannot be excluded: no matches for "nope"
                readyz check passed
                """);

        healthy.set(true);
        checks.shuttingDown();
        assertThat(checks.all("readyz", false, List.of()).code()).isEqualTo(500);
        assertThat(checks.all("livez", false, List.of()).code()).as("still live while stopping").isEqualTo(200);
    }

    @Test
    void theServerAnswersEachEndpointAndEachCheck() {
        try (TestServer server = TestServer.inTempDir().start()) {
            for (String endpoint : List.of("/healthz", "/livez", "/readyz")) {
                assertThat(server.get(endpoint).body()).isEqualTo("ok");
                HttpResponse<String> verbose = server.get(endpoint + "?verbose");
                assertThat(verbose.statusCode()).isEqualTo(200);
                assertThat(verbose.body()).contains("[+]etcd ok\n",
                        "[+]poststarthook/scheduling/bootstrap-system-priority-classes ok\n");
            }
            assertThat(server.get("/readyz/etcd").body()).isEqualTo("ok");
            assertThat(server.get("/readyz/poststarthook/start-system-namespaces-controller").body()).isEqualTo("ok");
            assertThat(server.get("/livez/shutdown").statusCode()).as("readiness only").isEqualTo(404);
            assertThat(server.get("/readyz/nope").statusCode()).isEqualTo(404);
        }
    }
}
