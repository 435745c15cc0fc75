package io.kube4j.store.embedded;

import io.kube4j.store.KeyValue;
import io.kube4j.store.Store;
import io.kube4j.store.WatchEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kills a writing child JVM with SIGKILL at random moments and checks after each kill that every write it
 * acknowledged survived, that revisions have no holes, and that a watch replays the history in order.
 */
class CrashTest {
    private static final int ROUNDS = 8;

    @TempDir
    Path tmp;

    record Ack(String type, String key, long revision) {
    }

    @Test
    void acknowledgedWritesSurviveSigkill() throws Exception {
        Path dir = tmp.resolve("store");
        Random random = new Random();
        List<Ack> all = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            List<Ack> acks = runAndKill(dir, round, 200 + random.nextInt(900));
            assertThat(acks).as("round %d acknowledged writes", round).isNotEmpty();
            all.addAll(acks);
            verify(dir, all, round);
        }
    }

    private List<Ack> runAndKill(Path dir, int round, long millis) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashWriterMain.class.getName(),
                dir.toString(), "r" + round, "6");
        pb.redirectError(tmp.resolve("child-" + round + ".err").toFile());
        Process child = pb.start();
        List<Ack> acks = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] parts = line.split(" ");
                    if (parts[0].equals("READY")) {
                        ready.countDown();
                    } else if (parts.length == 4 && parts[3].equals(".")) {
                        acks.add(new Ack(parts[0], parts[1], Long.parseLong(parts[2])));
                    }
                }
            } catch (Exception e) {
                // the child died: what was read is what was acknowledged
            }
        });
        reader.start();
        try {
            boolean started = ready.await(30, TimeUnit.SECONDS);
            assertThat(started).as("child started; its stderr: %s",
                    java.nio.file.Files.readString(tmp.resolve("child-" + round + ".err"))).isTrue();
            Thread.sleep(millis);
            assertThat(child.isAlive()).as("child still writing; its stderr: %s",
                    java.nio.file.Files.readString(tmp.resolve("child-" + round + ".err"))).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL
            child.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
        }
        return new ArrayList<>(acks);
    }

    private void verify(Path dir, List<Ack> acks, int round) {
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            long current = store.currentRevision();
            long compacted = store.compactedRevision();
            long maxAcked = acks.stream().mapToLong(Ack::revision).max().orElse(0);
            assertThat(current).as("round %d: current revision", round).isGreaterThanOrEqualTo(maxAcked);
            for (Ack ack : acks) {
                if (ack.type().equals("C")) {
                    KeyValue kv = store.get(ack.key()).orElse(null);
                    assertThat(kv).as("round %d: acknowledged create of %s at %d", round, ack.key(), ack.revision())
                            .isNotNull();
                    assertThat(kv.createRevision()).isEqualTo(ack.revision());
                } else if (ack.revision() >= compacted) {
                    KeyValue kv = store.get(ack.key(), ack.revision()).orElseThrow();
                    assertThat(kv.modRevision()).as("round %d: hot key at %d", round, ack.revision())
                            .isEqualTo(ack.revision());
                }
            }
            // every revision after the compacted one is in the history, in order, with the writes at it
            long from = compacted + 1;
            RecordingListener l = new RecordingListener();
            store.watch("", from, l);
            await().atMost(Duration.ofSeconds(30)).until(() -> l.error != null
                    || !l.events.isEmpty() && l.events.get(l.events.size() - 1).revision() == current
                    || from > current);
            assertThat(l.error).isNull();
            Map<Long, List<String>> keysByRevision = new TreeMap<>();
            for (WatchEvent e : l.events) {
                keysByRevision.computeIfAbsent(e.revision(), r -> new ArrayList<>()).add(e.kv().key());
            }
            List<Long> expected = new ArrayList<>();
            for (long r = from; r <= current; r++) {
                expected.add(r);
            }
            assertThat(keysByRevision.keySet()).as("round %d: revisions %d..%d without holes", round, from, current)
                    .containsExactlyElementsOf(expected);
            assertThat(l.revisions()).isSorted();
            for (Ack ack : acks) {
                if (ack.revision() >= from) {
                    assertThat(keysByRevision.get(ack.revision())).as("round %d: event at %d", round, ack.revision())
                            .containsExactly(ack.key());
                }
            }
            assertThat(store.get("/crash/hot").map(KeyValue::modRevision).orElse(0L))
                    .isLessThanOrEqualTo(current);
            assertThat(Store.NO_LEASE).isZero();
        }
    }
}
