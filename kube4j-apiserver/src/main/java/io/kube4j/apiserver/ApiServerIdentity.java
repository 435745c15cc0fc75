package io.kube4j.apiserver;

import com.google.common.io.BaseEncoding;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.ListOptions;
import io.kube4j.apiserver.registry.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Upstream's API server identity (APIServerIdentity, on by default since 1.26): each API server holds a Lease
 * {@code kube-system/apiserver-<hash of its host name>} labelled {@code apiserver.kubernetes.io/identity=kube-apiserver},
 * renewed every 10 s for an hour, so {@code kubectl get leases -n kube-system} lists the live API servers; leases of
 * servers that stopped renewing are deleted once expired (upstream's apiserver lease garbage collector). The name is
 * upstream's exactly: {@code apiserver-} + lower-case unpadded base32 of the first 16 bytes of the SHA-256 of the host
 * name and "kube-apiserver", each with a 2-byte length prefix.
 */
final class ApiServerIdentity {

    static final String NAMESPACE = "kube-system";
    static final String IDENTITY_LABEL = "apiserver.kubernetes.io/identity";
    static final String COMPONENT = "kube-apiserver";
    static final long LEASE_DURATION_SECONDS = 3600;
    static final Duration RENEW_INTERVAL = Duration.ofSeconds(10);
    static final Duration GC_PERIOD = Duration.ofSeconds(LEASE_DURATION_SECONDS);

    private static final Logger LOG = LoggerFactory.getLogger(ApiServerIdentity.class);

    private final GenericRegistry leases;
    private final Clock clock;
    private final String hostname;
    private final String id;
    /** Upstream's holder: the id and a UUID of this run, so a restart shows as a new holder. */
    private final String holder;

    ApiServerIdentity(Resources resources, Clock clock, String hostname) {
        this.leases = resources.find("coordination.k8s.io", "v1", "leases").orElseThrow();
        this.clock = clock;
        this.hostname = hostname;
        this.id = idOf(hostname);
        this.holder = id + "_" + UUID.randomUUID();
    }

    /** Upstream's identity of the API server on {@code hostname}. */
    static String idOf(String hostname) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (String part : new String[] {hostname, COMPONENT}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            data.write(bytes.length >> 8);
            data.write(bytes.length & 0xff);
            data.writeBytes(bytes);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(data.toByteArray());
            return "apiserver-" + BaseEncoding.base32().omitPadding().encode(hash, 0, 16).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The host's name as Go's os.Hostname reads it (the kernel's node name), which upstream's identity hashes. */
    static String hostname() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (java.io.IOException e) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException unknown) {
                return "localhost";
            }
        }
    }

    String id() {
        return id;
    }

    /** Renews at once and every {@link #RENEW_INTERVAL}, and collects expired identities at once and every hour. */
    ApiServerIdentity start(ScheduledExecutorService timers) {
        timers.scheduleWithFixedDelay(this::renewQuietly, 0, RENEW_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::collectQuietly, 0, GC_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Creates this server's lease, or takes it over and renews it. */
    void renew() {
        String now = io.kube4j.api.protobuf.GoTime.microTime(clock.instant());
        if (leases.find(NAMESPACE, id).isEmpty()) {
            ObjectNode lease = Json.object("coordination.k8s.io/v1", "Lease", NAMESPACE, id);
            Json.metadata(lease).putObject("labels").put(IDENTITY_LABEL, COMPONENT)
                    .put("kubernetes.io/hostname", hostname);
            held(lease.putObject("spec"), now);
            if (Bootstrap.createIgnoringExisting(() -> leases.create(NAMESPACE, lease, false,
                    GenericRegistry.SERVER_MANAGER))) {
                return;
            }
        }
        leases.guaranteedUpdate(NAMESPACE, id, true, false, false, GenericRegistry.SERVER_MANAGER, read -> {
            ObjectNode next = read.deepCopy();
            held(Json.child(next, "spec"), now);
            return next;
        });
    }

    /** The spec of this server's lease, renewed at {@code now}. */
    private void held(ObjectNode spec, String now) {
        spec.put("holderIdentity", holder).put("leaseDurationSeconds", LEASE_DURATION_SECONDS).put("renewTime", now);
    }

    /** Deletes the identity leases in kube-system whose renewTime + leaseDurationSeconds has passed. */
    void collectExpired() {
        Instant now = clock.instant();
        ListOptions all = ListOptions.everything();
        ListOptions identities = new ListOptions(io.kube4j.api.selector.LabelSelector.parse(IDENTITY_LABEL + "="
                + COMPONENT), all.fieldSelector(), 0, null, null, null, false, null, null);
        for (ObjectNode lease : leases.list(NAMESPACE, identities).items()) {
            String renewed = Json.text(lease, "spec", "renewTime");
            long duration = lease.path("spec").path("leaseDurationSeconds").asLong(0);
            if (renewed == null) {
                continue;
            }
            Instant expires;
            try {
                expires = Instant.parse(renewed).plus(duration, ChronoUnit.SECONDS);
            } catch (java.time.format.DateTimeParseException e) {
                continue;
            }
            if (expires.isBefore(now)) {
                String name = Json.text(lease, "metadata", "name");
                try {
                    leases.delete(NAMESPACE, name, io.kube4j.apiserver.registry.DeleteOptions.defaults(), false);
                    LOG.info("deleted the expired API server identity lease {}/{}", NAMESPACE, name);
                } catch (StatusException e) {
                    if (e.code() != 404) {
                        throw e;
                    }
                }
            }
        }
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            LOG.warn("cannot renew the API server identity lease {}/{}: {}", NAMESPACE, id, e.getMessage());
        }
    }

    private void collectQuietly() {
        try {
            collectExpired();
        } catch (RuntimeException e) {
            LOG.warn("cannot collect expired API server identity leases: {}", e.getMessage());
        }
    }
}
