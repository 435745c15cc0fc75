package io.kube4j.apiserver.componentstatus;

import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A component that takes part in leader election, healthy while some instance renews its Lease. Upstream probes the
 * scheduler's and controller manager's {@code /healthz} on fixed local ports; kube4j's components serve none by
 * default and may run in other processes or on other hosts, but every running one renews its Lease through the API
 * (every 2 s, for 15 s): a Lease renewed within its duration is a leader alive and reaching the API server.
 * A component running without leader election leaves no Lease, so "no Lease" is Unknown, not Unhealthy.
 */
public final class LeaseHealthCheck implements ComponentCheck {

    private final String name;
    private final String component;
    private final String namespace;
    private final String leaseName;
    private final ObjectLookup lookup;
    private final Clock clock;

    /** {@code component} names the component in messages ("scheduler"); the Lease is {@code namespace/leaseName}. */
    public LeaseHealthCheck(String name, String component, String namespace, String leaseName, ObjectLookup lookup,
                            Clock clock) {
        this.name = name;
        this.component = component;
        this.namespace = namespace;
        this.leaseName = leaseName;
        this.lookup = lookup;
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ComponentHealth check() {
        String lease = namespace + "/" + leaseName;
        Optional<ObjectNode> found;
        try {
            found = lookup.get("leases", namespace, leaseName);
        } catch (RuntimeException e) {
            return ComponentHealth.unknown("cannot read Lease " + lease + ": " + e.getMessage());
        }
        if (found.isEmpty()) {
            return ComponentHealth.unknown("no Lease " + lease + ": cannot tell whether a " + component
                    + " runs (none started, or one runs without leader election)");
        }
        ObjectNode spec = Json.obj(found.get(), "spec");
        String holder = Json.text(spec, "holderIdentity");
        String renewed = Json.text(spec, "renewTime");
        if (holder == null || holder.isEmpty()) {
            return ComponentHealth.unhealthy("no " + component + " holds Lease " + lease + " (released)");
        }
        long duration = spec == null ? 0 : spec.path("leaseDurationSeconds").asLong(0);
        Instant renewTime;
        try {
            renewTime = renewed == null ? null : OffsetDateTime.parse(renewed).toInstant();
        } catch (DateTimeParseException e) {
            renewTime = null;
        }
        if (renewTime == null) {
            return ComponentHealth.unknown("Lease " + lease + " held by " + holder + " has no valid renewTime");
        }
        Instant expiry = renewTime.plusSeconds(duration);
        if (expiry.isBefore(clock.instant())) {
            return ComponentHealth.unhealthy("Lease " + lease + " held by " + holder + " expired at " + expiry
                    + " (last renewed " + renewed + "): no " + component + " is renewing it");
        }
        return ComponentHealth.healthy();
    }
}
