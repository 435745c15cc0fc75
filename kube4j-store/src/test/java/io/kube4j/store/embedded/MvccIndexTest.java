package io.kube4j.store.embedded;

import io.kube4j.store.KeyValue;
import io.kube4j.store.WatchEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MvccIndexTest {

    private static KeyValue kv(String key, String value, long create, long mod, long version) {
        return new KeyValue(key, value.getBytes(), create, mod, version, 0);
    }

    @Test
    void readsTheNewestVersionAtOrBelowARevision() {
        KeyHistory h = new KeyHistory();
        for (int i = 0; i < 10; i++) {
            h.append(kv("/k", "v" + i, 2, 2 + 2 * i, i + 1)); // revisions 2,4,...,20
        }
        h.append(KeyHistory.tombstone("/k", 21));
        assertThat(h.at(1)).isNull();
        assertThat(h.at(2).valueAsString()).isEqualTo("v0");
        assertThat(h.at(3).valueAsString()).isEqualTo("v0");
        assertThat(h.at(20).valueAsString()).isEqualTo("v9");
        assertThat(h.at(21)).isNull();
        assertThat(h.latest()).isNull();
    }

    @Test
    void compactionKeepsWhatReadsAtTheCompactedRevisionNeed() {
        KeyHistory h = new KeyHistory();
        h.append(kv("/k", "a", 2, 2, 1));
        h.append(kv("/k", "b", 2, 5, 2));
        h.append(kv("/k", "c", 2, 9, 3));
        assertThat(h.compact(7)).isFalse();
        assertThat(h.size()).isEqualTo(2);
        assertThat(h.at(7).valueAsString()).isEqualTo("b");
        assertThat(h.at(9).valueAsString()).isEqualTo("c");

        KeyHistory deleted = new KeyHistory();
        deleted.append(kv("/d", "a", 2, 2, 1));
        deleted.append(KeyHistory.tombstone("/d", 3));
        assertThat(deleted.compact(3)).isTrue();
    }

    @Test
    void keysSortByTheirUtf8Bytes() {
        String emoji = "/\ud83d\ude00";
        String fullwidth = "/\uff21";
        String acute = "/caf\u00e9";
        assertThat(KeyOrder.INSTANCE.compare(fullwidth, emoji)).isNegative();
        assertThat(KeyOrder.INSTANCE.compare(acute, fullwidth)).isNegative();
        assertThat(KeyOrder.INSTANCE.compare("/a", "/ab")).isNegative();
        assertThat(KeyOrder.INSTANCE.compare("/b", "/ab")).isPositive();
        MvccIndex index = new MvccIndex();
        for (String k : new String[]{emoji, acute, fullwidth}) {
            index.append(kv(k, "x", 2, 2, 1));
        }
        assertThat(index.range("/", null, 2, 0).items()).extracting(KeyValue::key)
                .containsExactly(acute, fullwidth, emoji);
    }

    @Test
    void rangeAndCompactOverTheIndex() {
        MvccIndex index = new MvccIndex();
        index.append(kv("/a/1", "x", 2, 2, 1));
        index.recordEvents(2, new WatchEvent[0]);
        index.append(kv("/a/2", "x", 3, 3, 1));
        index.recordEvents(3, new WatchEvent[0]);
        index.append(kv("/b/1", "x", 4, 4, 1));
        index.recordEvents(4, new WatchEvent[0]);
        index.append(KeyHistory.tombstone("/a/1", 5));
        index.recordEvents(5, new WatchEvent[0]);
        assertThat(index.range("/a/", null, 4, 0).items()).extracting(KeyValue::key).containsExactly("/a/1", "/a/2");
        assertThat(index.range("/a/", null, 5, 0).items()).extracting(KeyValue::key).containsExactly("/a/2");
        MvccIndex.Page page = index.range("", null, 4, 1);
        assertThat(page.items()).hasSize(1);
        assertThat(page.remaining()).isEqualTo(2);
        assertThat(index.count("/", 5)).isEqualTo(2);
        index.compact(5, 5);
        assertThat(index.keyCount()).isEqualTo(2);
        assertThat(index.get("/a/1", 5)).isNull();
        assertThat(index.get("/a/2", 5)).isNotNull();
        assertThat(index.oldestEventRevision()).isEqualTo(5);
        assertThat(index.eventsAt(4)).isNull();
        index.append(kv("/a/2", "y", 3, 6, 2));
        index.compact(6, 6);
        assertThat(index.get("/a/2", 6).valueAsString()).isEqualTo("y");
        assertThat(index.get("/b/1", 6)).isNotNull();
    }

    @Test
    void pointReadsAndScansAgreeAfterCompactionDropsAKeyAndItComesBack() {
        MvccIndex index = new MvccIndex();
        index.append(kv("/a/1", "x", 2, 2, 1));
        index.append(KeyHistory.tombstone("/a/1", 3));
        index.compact(3, 3);
        // gone from both the point lookup and the ordered scan
        assertThat(index.history("/a/1")).isNull();
        assertThat(index.latestRevision("/a/1")).isZero();
        assertThat(index.range("/a/", null, 3, 0).items()).isEmpty();
        assertThat(index.keyCount()).isZero();

        index.append(kv("/a/1", "y", 4, 4, 1));
        KeyHistory history = index.history("/a/1");
        assertThat(history).isNotNull();
        index.append(kv("/a/1", "z", 4, 5, 2), history);
        assertThat(index.get("/a/1", 5).valueAsString()).isEqualTo("z");
        assertThat(index.latest("/a/1").valueAsString()).isEqualTo("z");
        assertThat(index.range("/a/", null, 5, 0).items()).extracting(KeyValue::valueAsString).containsExactly("z");
        assertThat(index.get("/a/1", 4).valueAsString()).isEqualTo("y");
        assertThat(index.keyCount()).isEqualTo(1);
    }
}
