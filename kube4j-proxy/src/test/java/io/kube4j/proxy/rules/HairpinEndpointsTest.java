package io.kube4j.proxy.rules;

import io.kube4j.proxy.model.ServicePortInfo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kube4j.proxy.nft.TableSkeleton.HAIRPIN_ENDPOINTS;
import static io.kube4j.proxy.rules.Fixtures.NODE;
import static io.kube4j.proxy.rules.Fixtures.clusterIp;
import static io.kube4j.proxy.rules.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;

class HairpinEndpointsTest {

    private final ServicePortInfo web = clusterIp("web", "10.43.0.20", 80,
            List.of(ready("10.42.0.5", 8080, NODE), ready("10.42.0.6", 8080, NODE)));
    private final ServicePortInfo api = clusterIp("api", "10.43.0.21", 80, List.of(ready("10.42.0.5", 9090, NODE)));

    @Test
    void aSharedEndpointStaysWhileAnotherServiceUsesIt() {
        HairpinEndpoints hairpin = new HairpinEndpoints();
        hairpin.update(List.of(), List.of(web, api));

        HairpinEndpoints.Change change = hairpin.update(List.of(web), List.of());

        // only what web touched is compared; 10.42.0.5 is still api's
        assertThat(change.before().elements(HAIRPIN_ENDPOINTS))
                .containsOnlyKeys("10.42.0.5 . 10.42.0.5", "10.42.0.6 . 10.42.0.6");
        assertThat(change.after().elements(HAIRPIN_ENDPOINTS)).containsOnlyKeys("10.42.0.5 . 10.42.0.5");
        assertThat(hairpin.ruleset().elements(HAIRPIN_ENDPOINTS)).containsOnlyKeys("10.42.0.5 . 10.42.0.5");
    }

    @Test
    void aChangeTouchesOnlyTheChangedServicesAddresses() {
        HairpinEndpoints hairpin = new HairpinEndpoints();
        hairpin.update(List.of(), List.of(web, api));
        ServicePortInfo moved = clusterIp("api", "10.43.0.21", 80, List.of(ready("10.42.0.7", 9090, NODE)));

        HairpinEndpoints.Change change = hairpin.update(List.of(api), List.of(moved));

        assertThat(change.before().elements(HAIRPIN_ENDPOINTS)).containsOnlyKeys("10.42.0.5 . 10.42.0.5");
        assertThat(change.after().elements(HAIRPIN_ENDPOINTS))
                .containsOnlyKeys("10.42.0.5 . 10.42.0.5", "10.42.0.7 . 10.42.0.7");
        assertThat(hairpin.ruleset().elements(HAIRPIN_ENDPOINTS)).containsOnlyKeys(
                "10.42.0.5 . 10.42.0.5", "10.42.0.6 . 10.42.0.6", "10.42.0.7 . 10.42.0.7");
        assertThat(hairpin.ruleset().elements(HAIRPIN_ENDPOINTS)).isEqualTo(
                HairpinEndpoints.of(List.of(web, moved)).elements(HAIRPIN_ENDPOINTS));
    }
}
