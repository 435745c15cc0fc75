package io.kube4j.apiserver.registry;

import io.kube4j.apiserver.registry.allocation.ClusterIpAllocator;
import io.kube4j.apiserver.registry.allocation.NodePortAllocator;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllocatorTest {

    @TempDir
    Path dir;

    @Test
    void clusterIpsAreUniqueInRangeAndSurviveRestart() {
        String claimed;
        try (Store store = EmbeddedStore.open(dir)) {
            ClusterIpAllocator ips = new ClusterIpAllocator(store, "10.43.0.0/29");
            assertThat(ips.first()).isEqualTo("10.43.0.1");
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                assertThat(seen.add(ips.allocate(false))).isTrue();
            }
            assertThat(seen).allSatisfy(ip -> assertThat(ip).matches("10\\.43\\.0\\.[1-6]"));
            assertThatThrownBy(() -> ips.allocate(false)).hasMessageContaining("full");
            claimed = seen.iterator().next();
            ips.release(claimed);
        }
        try (Store store = EmbeddedStore.open(dir)) {
            ClusterIpAllocator ips = new ClusterIpAllocator(store, "10.43.0.0/29");
            assertThat(ips.allocate(false)).isEqualTo(claimed);
            assertThatThrownBy(() -> ips.claim("10.43.0.7", false)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aClaimOutsideTheRangeNamesTheRangeAndABadRangeIsRefused() {
        try (Store store = EmbeddedStore.open(dir)) {
            ClusterIpAllocator ips = new ClusterIpAllocator(store, "10.78.0.0/16");
            assertThat(ips.first()).isEqualTo("10.78.0.1");
            assertThat(ips.allocate(false)).startsWith("10.78.");
            assertThatThrownBy(() -> ips.claim("10.43.0.10", false))
                    .hasMessage("the provided IP (10.43.0.10) is not in the valid range. The range of valid IPs is"
                            + " 10.78.0.0/16");
        }
        for (String bad : new String[]{"10.43.0.0", "10.43.0/16", "10.43.0.0/x", "300.1.0.0/16", "10.0.0.0/8",
                "10.43.0.0/30"}) {
            assertThatThrownBy(() -> ClusterIpAllocator.checkCidr(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the service CIDR " + bad);
        }
        assertThat(ClusterIpAllocator.checkCidr("10.96.0.0/12")).isEqualTo(12);
    }

    @Test
    void dynamicAllocationLeavesTheStaticBandToExplicitClaimsUntilTheRestIsFull() {
        try (Store store = EmbeddedStore.open(dir)) {
            ClusterIpAllocator ips = new ClusterIpAllocator(store, "10.43.0.0/24");
            // a /24 has a static band of 16 addresses (.1-.16), so 10.43.0.10 (kube-dns) stays free
            for (int i = 0; i < 254 - 16; i++) {
                int last = Integer.parseInt(ips.allocate(false).substring("10.43.0.".length()));
                assertThat(last).isBetween(17, 254);
            }
            ips.claim("10.43.0.10", false);
            int fromBand = Integer.parseInt(ips.allocate(false).substring("10.43.0.".length()));
            assertThat(fromBand).isBetween(1, 16).isNotEqualTo(10);
        }
    }

    @Test
    void nodePortsCannotBeTakenTwice() {
        try (Store store = EmbeddedStore.open(dir)) {
            NodePortAllocator ports = new NodePortAllocator(store);
            ports.claim(30080, false);
            assertThatThrownBy(() -> ports.claim(30080, false)).hasMessageContaining("already allocated");
            assertThatThrownBy(() -> ports.claim(80, false)).hasMessageContaining("valid range");
            int any = ports.allocate(false);
            assertThat(any).isBetween(30000, 32767).isNotEqualTo(30080);
            ports.release(30080);
            ports.claim(30080, true);
        }
    }
}
