package io.kube4j.bench.apiserver;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void byDefaultEveryPhaseRunsTheFloorIncluded() {
        BenchOptions o = BenchOptions.parse(new String[0]);
        assertThat(o.phases()).isEqualTo("all");
        for (String phase : new String[] {"floor", "crud", "list", "watch"}) {
            assertThat(o.runs(phase)).as(phase).isTrue();
        }
    }

    @Test
    void onePhaseRunsAlone() {
        BenchOptions floor = BenchOptions.parse(new String[] {"--phases", "floor"});
        assertThat(floor.runs("floor")).isTrue();
        assertThat(floor.runs("crud")).isFalse();
        assertThat(floor.runs("list")).isFalse();
        assertThat(floor.runs("watch")).isFalse();
        BenchOptions watch = BenchOptions.parse(new String[] {"--phases", "watch"});
        assertThat(watch.runs("watch")).isTrue();
        assertThat(watch.runs("floor")).isFalse();
    }

    @Test
    void anUnknownPhaseIsRefused() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--phases", "everything"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("floor");
    }

    @Test
    void theFloorRowIsNamedLikeTheOtherRowsSoTheReportFindsIt() {
        // ReportTable finds the floor of each client count by the "floor c<N> " prefix, next to "<kind> c<N> <verb>"
        assertThat(ApiServerBench.floorPhase(50)).startsWith("floor c50 ").endsWith(ApiServerBench.FLOOR_PATH);
    }
}
