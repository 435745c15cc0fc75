package io.kube4j.apiserver.watchcache;

import io.kube4j.store.KeyValue;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A list's range of the cache: the objects under a prefix in key order, a view that later writes leave alone. */
class KeyOrderedObjectsTest {

    private static CachedObject object(String key, long revision) {
        // the index reads keys only: no attributes or form needed
        return new CachedObject(new KeyValue(key, new byte[0], revision, revision, 1, 0), null, null);
    }

    private static List<String> keys(List<CachedObject> objects) {
        return objects.stream().map(o -> o.stored().key()).toList();
    }

    @Test
    void aPrefixGetsItsKeysInOrderAndNoOthers() {
        KeyOrderedObjects objects = new KeyOrderedObjects();
        for (String key : List.of("/r/pods/b/x", "/r/pods/a/z", "/r/pods/ab/y", "/r/pods/a/y", "/r/pods/a/\u00e9",
                "/r/pods/b/a")) {
            objects.put(key, object(key, 2));
        }
        assertThat(keys(objects.inOrder("/r/pods/a/"))).containsExactly("/r/pods/a/y", "/r/pods/a/z",
                "/r/pods/a/\u00e9");
        assertThat(keys(objects.inOrder("/r/pods/"))).containsExactly("/r/pods/a/y", "/r/pods/a/z", "/r/pods/a/\u00e9",
                "/r/pods/ab/y", "/r/pods/b/a", "/r/pods/b/x");
        assertThat(objects.inOrder("/r/pods/c/")).isEmpty();
        assertThat(objects.inOrder("/r/pods/0/")).isEmpty();
        assertThat(objects.inOrder("/r/pods/zz/")).isEmpty();
    }

    @Test
    void aViewHandedOutNeverChangesAndTheNextOneSeesTheWrites() {
        KeyOrderedObjects objects = new KeyOrderedObjects();
        objects.put("/r/a", object("/r/a", 2));
        objects.put("/r/b", object("/r/b", 3));
        List<CachedObject> before = objects.inOrder("/r/");
        assertThat(objects.inOrder("/r/")).as("no change: the same array").containsExactlyElementsOf(before);
        objects.put("/r/c", object("/r/c", 4));
        objects.remove("/r/a");
        CachedObject b2 = object("/r/b", 5);
        objects.put("/r/b", b2);
        assertThat(keys(before)).containsExactly("/r/a", "/r/b");
        assertThat(before.get(1).stored().modRevision()).isEqualTo(3);
        List<CachedObject> after = objects.inOrder("/r/");
        assertThat(keys(after)).containsExactly("/r/b", "/r/c");
        assertThat(after.get(0)).isSameAs(b2);
        assertThatThrownBy(() -> after.set(0, b2)).isInstanceOf(UnsupportedOperationException.class);
        objects.remove("/r/missing");
        objects.clear();
        assertThat(objects.inOrder("/r/")).isEmpty();
        assertThat(keys(after)).containsExactly("/r/b", "/r/c");
    }
}
