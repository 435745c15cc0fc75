package io.kube4j.kubelet.certificate;

import io.kube4j.api.certificates.ServingNames;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.kubelet.server.ServingTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The kubelet's serving certificate under {@link ServingBootstrap}, as upstream's certificate manager keeps it: the
 * stored one is reused after a restart; once the Node is registered with addresses and there is none, or it does not
 * name exactly the node's addresses, or it has passed its rotation deadline (a random point between 70% and 90% of
 * its lifetime, as upstream's), a new key is generated and a kubelet-serving CSR is made for it. The server reads
 * {@link #get()} at every handshake, so a renewed certificate is served from the next connection on.
 */
public final class ServingCertificateManager implements Supplier<ServingTls>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServingCertificateManager.class);
    /** How often the node's addresses are looked at again while the certificate is fine. */
    private static final Duration RECHECK = Duration.ofMinutes(1);
    private static final Duration NOT_REGISTERED_RETRY = Duration.ofSeconds(2);
    private static final Duration MIN_BACKOFF = Duration.ofSeconds(5);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    /** Upstream's kubelet waits this long for a CSR to be issued before it tries again with another. */
    private static final Duration ISSUE_TIMEOUT = Duration.ofMinutes(15);

    private final KubernetesClient client;
    private final String nodeName;
    private final ServingBootstrap bootstrap;
    private final Supplier<Node> node;
    private final Clock clock;
    private final AtomicReference<ServingTls> current = new AtomicReference<>();
    /** The rotation deadline of the current certificate, drawn once per certificate. */
    private volatile Instant deadline;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubelet-serving-certificate");
        t.setDaemon(true);
        return t;
    });
    private Duration backoff = MIN_BACKOFF;

    /** @param node the registered Node as last seen (null before registration): its addresses are the names */
    public ServingCertificateManager(KubernetesClient client, String nodeName, ServingBootstrap bootstrap,
                                     Supplier<Node> node, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.bootstrap = bootstrap;
        this.node = node;
        this.clock = clock;
        ServingTls stored = ServingCertificateFile.read(bootstrap.certDir(), bootstrap.clientCa());
        if (stored != null) {
            adopt(stored);
            LOG.info("kubelet serving certificate from {} valid until {}", bootstrap.certDir(),
                    stored.chain().get(0).getNotAfter().toInstant());
        }
    }

    public void start() {
        thread.execute(this::check);
    }

    @Override
    public ServingTls get() {
        return current.get();
    }

    public X509Certificate clientCa() {
        return bootstrap.clientCa();
    }

    /** Upstream's jittered deadline: notBefore + (70..90%) of the certificate's lifetime. */
    static Instant rotationDeadline(X509Certificate certificate, double jitter) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Duration lifetime = Duration.between(notBefore, certificate.getNotAfter().toInstant());
        return notBefore.plusMillis((long) (lifetime.toMillis() * (0.7 + 0.2 * jitter)));
    }

    /** What to do now: null if the current certificate is fine, else why a new one is needed. */
    static String renewalReason(ServingTls tls, Instant deadline, ServingNames wanted, Instant now) {
        if (tls == null) {
            return "there is none yet";
        }
        if (!wanted.matches(tls.chain().get(0))) {
            return "the node's addresses are now " + wanted.dnsNames() + " " + wanted.ips();
        }
        if (!now.isBefore(deadline)) {
            return "it reached its rotation deadline " + deadline;
        }
        return null;
    }

    private void adopt(ServingTls tls) {
        deadline = rotationDeadline(tls.chain().get(0), ThreadLocalRandom.current().nextDouble());
        current.set(tls);
    }

    private void check() {
        Duration next;
        try {
            next = checkOnce();
            backoff = MIN_BACKOFF;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.warn("cannot obtain a serving certificate for node {}: {}; trying again in {}s", nodeName,
                    e.getMessage(), backoff.toSeconds());
            next = backoff;
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
        try {
            thread.schedule(this::check, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closing
        }
    }

    /** @return when to look again */
    private Duration checkOnce() throws InterruptedException {
        ServingNames wanted = ServingNames.of(node.get());
        if (wanted.isEmpty()) {
            return NOT_REGISTERED_RETRY;
        }
        Instant now = clock.instant();
        String reason = renewalReason(current.get(), deadline, wanted, now);
        if (reason == null) {
            Duration untilDeadline = Duration.between(now, deadline);
            return untilDeadline.compareTo(RECHECK) < 0 ? untilDeadline.plusMillis(1) : RECHECK;
        }
        LOG.info("requesting a kubelet serving certificate for node {} ({}): names {} {}", nodeName, reason,
                wanted.dnsNames(), wanted.ips());
        KeyPair keys = newKey();
        String name = ServingCertificateRequest.submit(client,
                ServingCertificateRequest.pkcs10(nodeName, wanted, keys));
        List<X509Certificate> chain = ServingCertificateRequest.awaitIssued(client, name, keys.getPublic(),
                ISSUE_TIMEOUT);
        try {
            ServingCertificateFile.write(bootstrap.certDir(), chain, keys.getPrivate());
        } catch (java.io.IOException e) {
            // still serve it: only a restart would miss it, and it would ask again
            LOG.warn("cannot store the serving certificate in {}: {}", bootstrap.certDir(), e.getMessage());
        }
        adopt(new ServingTls(chain, keys.getPrivate(), bootstrap.clientCa()));
        LOG.info("kubelet serving certificate {} issued for node {}, valid until {}, renewed after {}", name, nodeName,
                chain.get(0).getNotAfter().toInstant(), deadline);
        return Duration.ofMillis(1);
    }

    /** A fresh ECDSA P-256 key per certificate, as upstream's kubelet makes. */
    private static KeyPair newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a key: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
