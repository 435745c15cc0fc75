package io.kube4j.store.embedded;

import io.kube4j.store.Store;
import io.kube4j.store.Watch;
import io.kube4j.store.WatchEvent;
import io.kube4j.store.WatchListener;
import io.kube4j.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Watch#requestProgress: a watch whose prefix saw no write learns of the store's revision when it asks, not at the
 * next periodic notification (an hour apart here), and never before the events it has queued.
 */
class ProgressRequestTest {

    @TempDir
    Path dir;

    private static byte[] value(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAskedForProgressComesAfterTheQueuedEventsAndCoversTheCurrentRevision() {
        try (EmbeddedStore store = EmbeddedStore.open(dir,
                EmbeddedStoreOptions.defaults().withProgressInterval(Duration.ofHours(1)))) {
            List<String> seen = new CopyOnWriteArrayList<>();
            Watch watch = store.watch("/a/", 0, new WatchListener() {
                @Override
                public void onEvent(WatchEvent event) {
                    seen.add("event " + event.revision());
                }

                @Override
                public void onError(StoreException error) {
                    seen.add("error");
                }

                @Override
                public void onProgress(long revision) {
                    seen.add("progress " + revision);
                }
            });
            long mine = store.create("/a/1", value("x"), Store.NO_LEASE).modRevision();
            for (int i = 0; i < 10; i++) {
                store.create("/b/" + i, value("y"), Store.NO_LEASE);
            }
            long current = store.currentRevision();
            assertThat(watch.requestProgress()).isTrue();
            // a request can cross the dispatch of the last writes: asking again is how a reader gets there
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                watch.requestProgress();
                return seen.stream().anyMatch(s -> s.startsWith("progress ")
                        && Long.parseLong(s.substring(9)) >= current);
            });
            assertThat(seen).doesNotContain("error").containsOnlyOnce("event " + mine);
            // a progress notification never claims a revision whose events the listener has not had yet
            int event = seen.indexOf("event " + mine);
            for (int i = 0; i < seen.size(); i++) {
                if (i != event) {
                    long revision = Long.parseLong(seen.get(i).substring("progress ".length()));
                    assertThat(revision < mine).as(seen.toString()).isEqualTo(i < event);
                }
            }
            watch.close();
        }
    }
}
