package io.kube4j.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CompletedIndexesTest {
    @Test
    void roundTripsIntervals() {
        TreeSet<Integer> set = CompletedIndexes.parse("1,3-5,7", 10);
        assertThat(set).containsExactly(1, 3, 4, 5, 7);
        assertThat(CompletedIndexes.format(set)).isEqualTo("1,3-5,7");
        assertThat(CompletedIndexes.parse("0-20", 3)).containsExactly(0, 1, 2);
        assertThat(CompletedIndexes.format(new TreeSet<>())).isEmpty();
    }

    @Test
    void aPairIsWrittenAsTwoIndexesAsUpstreamWritesIt() {
        assertThat(CompletedIndexes.format(new TreeSet<>(java.util.List.of(0, 1, 5, 6, 7)))).isEqualTo("0,1,5-7");
        assertThat(CompletedIndexes.parse("0,1,5-7", 10)).containsExactly(0, 1, 5, 6, 7);
    }
}
