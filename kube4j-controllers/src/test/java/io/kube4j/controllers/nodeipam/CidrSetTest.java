package io.kube4j.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrSetTest {
    @Test
    void allocatesSequentialSubnetsSkippingOccupiedOnes() {
        CidrSet set = new CidrSet("10.42.0.0/16", 24);
        assertThat(set.occupy("10.42.1.0/24")).isTrue();
        assertThat(set.allocateNext()).isEqualTo("10.42.0.0/24");
        assertThat(set.allocateNext()).isEqualTo("10.42.2.0/24");
        set.release("10.42.0.0/24");
        assertThat(set.isUsed("10.42.0.0/24")).isFalse();
        assertThat(set.occupy("10.43.0.0/24")).isFalse();
        assertThat(set.occupy("10.42.0.0/25")).isFalse();
    }

    @Test
    void exhaustsAfterAllSubnets() {
        CidrSet set = new CidrSet("10.0.0.0/30", 31);
        assertThat(set.allocateNext()).isEqualTo("10.0.0.0/31");
        assertThat(set.allocateNext()).isEqualTo("10.0.0.2/31");
        assertThat(set.allocateNext()).isNull();
        assertThatThrownBy(() -> new CidrSet("10.0.0.0/24", 16)).isInstanceOf(IllegalArgumentException.class);
    }
}
