package io.kube4j.cli;

import io.kube4j.kubelet.nodestatus.MachineInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@code --advertise-address} is chosen when it is not given, and which values are refused. */
class AdvertiseAddressTest {

    @Test
    void theFlagWinsOverTheBindAddress() {
        assertThat(ApiServingOptions.advertiseAddress("192.0.2.7", "10.0.0.5")).isEqualTo("192.0.2.7");
    }

    @Test
    void aConcreteNonLoopbackBindAddressIsAdvertised() {
        assertThat(ApiServingOptions.advertiseAddress(null, "10.0.0.5")).isEqualTo("10.0.0.5");
    }

    @Test
    void loopbackOrWildcardBindAddressesAdvertiseTheNodesInternalIp() {
        assertThat(ApiServingOptions.advertiseAddress(null, "127.0.0.1")).isEqualTo(MachineInfo.internalIp());
        assertThat(ApiServingOptions.advertiseAddress(null, "0.0.0.0")).isEqualTo(MachineInfo.internalIp());
        assertThat(ApiServingOptions.advertiseAddress("", "::")).isEqualTo(MachineInfo.internalIp());
    }

    @Test
    void namesAndTheWildcardAreRefused() {
        assertThatThrownBy(() -> ApiServingOptions.advertiseAddress("example.com", "127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> ApiServingOptions.advertiseAddress("10.0.0", "127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> ApiServingOptions.advertiseAddress("0.0.0.0", "127.0.0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard");
    }
}
