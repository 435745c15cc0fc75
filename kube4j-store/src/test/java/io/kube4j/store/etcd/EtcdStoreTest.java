package io.kube4j.store.etcd;

import io.kube4j.store.RecordingListener;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import io.kube4j.store.Stores;
import io.kube4j.store.Watch;
import io.kube4j.store.testing.EtcdProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What only the etcd backend has: connecting, losing the server, and a cluster losing a member. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EtcdStoreTest {

    @Test
    void connectingToNothingFailsFastNamingTheEndpoint() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port);

        assertThatThrownBy(() -> EtcdStore.connect(List.of(nowhere), Duration.ofSeconds(2)))
                .isInstanceOf(StoreException.Unavailable.class)
                .hasMessageContaining("cannot reach etcd at http://127.0.0.1:" + port);
    }

    @Test
    void storesOpensAnEtcdSpec() {
        try (EtcdProcess etcd = EtcdProcess.startSingle(); Store store = Stores.open(etcd.storeSpec(), null)) {
            assertThat(store).isInstanceOf(EtcdStore.class);
            assertThat(store.create("/a", bytes("1"), Store.NO_LEASE).modRevision()).isEqualTo(2);
        }
    }

    @Test
    void aStoppedServerMakesCallsFailWithUnavailableNamingIt() {
        EtcdProcess etcd = EtcdProcess.startSingle();
        try (Store store = EtcdStore.connect(etcd.endpoints())) {
            store.create("/a", bytes("1"), Store.NO_LEASE);

            etcd.stop();

            assertThatThrownBy(() -> store.get("/a"))
                    .isInstanceOf(StoreException.Unavailable.class)
                    .hasMessageContaining(etcd.endpoints().get(0).toString());
        } finally {
            etcd.stop();
        }
    }

    @Test
    void aClusterLosingAMemberKeepsServingAndWatchesMissNothing() {
        try (EtcdProcess cluster = EtcdProcess.startCluster(3); Store store = EtcdStore.connect(cluster.endpoints())) {
            RecordingListener seen = new RecordingListener();
            Watch watch = store.watch("/k/", 0, seen);
            List<Long> written = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                written.add(store.create("/k/before-" + i, bytes("x"), Store.NO_LEASE).modRevision());
            }

            cluster.kill(0);

            for (int i = 0; i < 10; i++) {
                written.add(createRetryingWhileUnavailable(store, "/k/after-" + i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.events().size() >= 20);
            assertThat(seen.revisions()).containsExactlyElementsOf(written);
            assertThat(seen.errors()).isEmpty();
            watch.close();
        }
    }

    @Test
    void aWatchOutlivesARestartOfItsServerAndMissesNothing() {
        try (EtcdProcess etcd = EtcdProcess.startSingle(); Store store = EtcdStore.connect(etcd.endpoints())) {
            RecordingListener seen = new RecordingListener();
            Watch watch = store.watch("/k/", 0, seen);
            List<Long> written = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                written.add(store.create("/k/before-" + i, bytes("x"), Store.NO_LEASE).modRevision());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.events().size() == 5);

            etcd.restart(0);

            for (int i = 0; i < 5; i++) {
                written.add(createRetryingWhileUnavailable(store, "/k/after-" + i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.events().size() >= 10);
            assertThat(seen.revisions()).containsExactlyElementsOf(written);
            assertThat(seen.errors()).isEmpty();
            watch.close();
        }
    }

    @Test
    void aQuietWatchReceivesProgressNotificationsAtTheCurrentRevision() {
        try (EtcdProcess etcd = EtcdProcess.startSingle(); Store store = EtcdStore.connect(etcd.endpoints())) {
            RecordingListener seen = new RecordingListener();
            Watch watch = store.watch("/quiet/", 0, seen);
            long written = store.create("/elsewhere/a", bytes("x"), Store.NO_LEASE).modRevision();

            await().atMost(Duration.ofSeconds(30)).until(() -> seen.progress().stream().anyMatch(r -> r >= written));
            assertThat(seen.events()).isEmpty();
            watch.close();
        }
    }

    @Test
    void aListenerThatFallsBehindIsCutOffWithTheLastRevisionItSaw() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.startSingle();
             Store store = EtcdStore.connect(etcd.endpoints(), Duration.ofSeconds(5), 5)) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            List<Long> delivered = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<StoreException> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            store.watch("/slow/", 0, new io.kube4j.store.WatchListener() {
                @Override
                public void onEvent(io.kube4j.store.WatchEvent event) {
                    delivered.add(event.revision());
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void onError(StoreException error) {
                    errors.add(error);
                }
            });
            for (int i = 0; i < 20; i++) {
                store.create("/slow/" + i, bytes("x"), Store.NO_LEASE);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !delivered.isEmpty());

            release.countDown();

            await().atMost(Duration.ofSeconds(30)).until(() -> !errors.isEmpty());
            assertThat(errors).singleElement().isInstanceOf(StoreException.WatchTooSlow.class);
            long lastSeen = delivered.get(delivered.size() - 1);
            assertThat(((StoreException.WatchTooSlow) errors.get(0)).lastRevision()).isEqualTo(lastSeen);
            assertThat(delivered).hasSizeLessThan(20);
        }
    }

    /** During a leader change a write may be refused; the caller (the API server) retries, as here. */
    private static long createRetryingWhileUnavailable(Store store, String key) {
        for (int attempt = 0; ; attempt++) {
            try {
                return store.create(key, bytes("x"), Store.NO_LEASE).modRevision();
            } catch (StoreException.Unavailable e) {
                if (attempt > 50) {
                    throw e;
                }
            } catch (StoreException.KeyExists e) {
                // The refused attempt had in fact been applied.
                return e.current().modRevision();
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

}
