package io.kube4j.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Upstream's GetDefaultClass: either annotation marks a default, the newest wins, then the first name. */
class DefaultStorageClassTest {

    record Cls(String name, String created, Map<String, String> annotations) {
    }

    private static String choose(Cls... classes) {
        return DefaultStorageClass.choose(List.of(classes), Cls::annotations, Cls::created, Cls::name)
                .map(Cls::name).orElse(null);
    }

    @Test
    void theNewestDefaultWinsAndTiesGoToTheFirstName() {
        Map<String, String> ga = Map.of(DefaultStorageClass.ANNOTATION, "true");
        Map<String, String> beta = Map.of(DefaultStorageClass.BETA_ANNOTATION, "true");
        assertThat(choose(new Cls("old", "2024-01-01T00:00:00Z", ga), new Cls("new", "2025-01-01T00:00:00Z", beta),
                new Cls("newest-plain", "2026-01-01T00:00:00Z", Map.of()))).isEqualTo("new");
        assertThat(choose(new Cls("b", "2025-01-01T00:00:00Z", ga), new Cls("a", "2025-01-01T00:00:00Z", ga)))
                .isEqualTo("a");
        assertThat(choose(new Cls("unreadable", "yesterday", ga), new Cls("dated", "2020-01-01T00:00:00Z", ga)))
                .as("an unreadable timestamp sorts oldest").isEqualTo("dated");
    }

    @Test
    void onlyTheValueTrueMarksADefault() {
        assertThat(choose(new Cls("x", "2025-01-01T00:00:00Z", Map.of(DefaultStorageClass.ANNOTATION, "True")))).isNull();
        assertThat(choose(new Cls("y", null, null))).isNull();
        assertThat(DefaultStorageClass.isDefault(Map.of(DefaultStorageClass.BETA_ANNOTATION, "true"))).isTrue();
        assertThat(DefaultStorageClass.isDefault(null)).isFalse();
    }
}
