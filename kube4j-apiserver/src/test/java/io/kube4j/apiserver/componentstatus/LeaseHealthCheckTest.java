package io.kube4j.apiserver.componentstatus;

import io.kube4j.apiserver.authn.FakeLookup;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class LeaseHealthCheckTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final FakeLookup lookup = new FakeLookup();
    private final LeaseHealthCheck check = new LeaseHealthCheck("scheduler", "scheduler", "kube-system",
            "kube-scheduler", lookup, Clock.fixed(NOW, ZoneOffset.UTC));

    private void lease(String holder, String renewTime) {
        ObjectNode lease = FakeLookup.object("kube-system", "kube-scheduler", "uid-1");
        ObjectNode spec = lease.putObject("spec").put("leaseDurationSeconds", 15).put("renewTime", renewTime);
        if (holder != null) {
            spec.put("holderIdentity", holder);
        }
        lookup.put("leases", lease);
    }

    @Test
    void noLeaseIsUnknownNotUnhealthy() {
        ComponentHealth health = check.check();
        assertThat(health.status()).isEqualTo("Unknown");
        assertThat(health.error()).startsWith("no Lease kube-system/kube-scheduler");
    }

    @Test
    void aLeaseRenewedWithinItsDurationIsHealthy() {
        lease("node-1_abc", "2026-01-01T11:59:50.123456Z");
        assertThat(check.check()).isEqualTo(new ComponentHealth("True", "ok", ""));
    }

    @Test
    void anExpiredOrReleasedLeaseIsUnhealthy() {
        lease("node-1_abc", "2026-01-01T11:59:40.000000Z");
        ComponentHealth expired = check.check();
        assertThat(expired.status()).isEqualTo("False");
        assertThat(expired.error()).isEqualTo("Lease kube-system/kube-scheduler held by node-1_abc expired at "
                + "2026-01-01T11:59:55Z (last renewed 2026-01-01T11:59:40.000000Z): no scheduler is renewing it");
        lease("", "2026-01-01T11:59:59.000000Z");
        assertThat(check.check().status()).isEqualTo("False");
    }
}
