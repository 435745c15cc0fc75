package io.kube4j.apiserver.apiregistration;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link KubeAwareVersions}: upstream's order of versions of equal priority. */
class KubeAwareVersionsTest {

    @Test
    void gaThenBetaThenAlphaEachHighestFirstThenTheRestAlphabetically() {
        List<String> versions = new ArrayList<>(List.of("foo10", "v1alpha1", "v1", "v11alpha2", "v12alpha1", "v3beta1",
                "v10beta3", "v11beta2", "foo1", "v2", "v10", "v1beta1", "v1beta2",
                "v99999999999999999999999"));

        versions.sort(KubeAwareVersions.PREFERRED_FIRST);

        assertThat(versions).containsExactly("v99999999999999999999999", "v10", "v2", "v1", "v11beta2", "v10beta3",
                "v3beta1", "v1beta2", "v1beta1", "v12alpha1", "v11alpha2", "v1alpha1", "foo1", "foo10");
    }
}
