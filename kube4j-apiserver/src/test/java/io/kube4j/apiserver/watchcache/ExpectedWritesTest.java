package io.kube4j.apiserver.watchcache;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExpectedWritesTest {

    private static Selectable named(String name) {
        return new Selectable(null, name, Map.of(), "v1", null, null, null);
    }

    @Test
    void findsAttributesByTheArrayItselfOnce() {
        ExpectedWrites expected = new ExpectedWrites();
        byte[] value = {1, 2, 3};
        expected.expect(value, named("a"));
        assertThat(expected.take(value.clone())).isNull();
        assertThat(expected.take(value).name()).isEqualTo("a");
        assertThat(expected.take(value)).isNull();
    }

    @Test
    void dropsTheOldestBeyondItsCapacity() {
        ExpectedWrites expected = new ExpectedWrites();
        byte[] first = {0};
        expected.expect(first, named("first"));
        for (int i = 0; i < ExpectedWrites.CAPACITY; i++) {
            expected.expect(new byte[]{1}, named("n" + i));
        }
        assertThat(expected.size()).isEqualTo(ExpectedWrites.CAPACITY);
        assertThat(expected.take(first)).isNull();
    }
}
