package io.kube4j.controllers.clientbuilder;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's {@code --use-service-account-credentials}: each controller acts as its own service account in
 * kube-system, so it can do only what its {@code system:controller:<name>} ClusterRole allows. The manager's own
 * client (bound to {@code system:kube-controller-manager}) creates the service account when missing and asks the
 * TokenRequest API ({@code serviceaccounts/<name>/token}) for tokens; each controller gets a client of its own
 * that presents the current token and no client certificate.
 */
public final class ServiceAccountClientBuilder implements ControllerClientBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceAccountClientBuilder.class);

    public static final String NAMESPACE = "kube-system";

    private final KubernetesClient root;
    private final Duration tokenLifetime;
    private final Clock clock;
    /**
     * How many service accounts {@link #prepare} creates at once: enough to overlap the round trips of a start-up
     * (some thirty controllers), few enough not to flood an API server that is already under load.
     */
    static final int PARALLEL_CREATES = 8;

    private final Map<String, KubernetesClient> clients = new LinkedHashMap<>();
    /** Service accounts known to exist: {@link #clientFor} does not ask about them again. */
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();
    private boolean closed;

    public ServiceAccountClientBuilder(KubernetesClient root, Duration tokenLifetime, Clock clock) {
        this.root = root;
        this.tokenLifetime = tokenLifetime;
        this.clock = clock;
    }

    @Override
    public synchronized KubernetesClient clientFor(String serviceAccount) {
        if (closed) {
            throw new IllegalStateException("the controller client builder is closed");
        }
        KubernetesClient client = clients.get(serviceAccount);
        if (client == null) {
            if (!ensured.contains(serviceAccount)) {
                ensureServiceAccount(serviceAccount);
            }
            ServiceAccountTokenSource tokens = new ServiceAccountTokenSource(identityOf(serviceAccount),
                    () -> requestToken(serviceAccount), clock);
            client = new KubernetesClientBuilder().withConfig(configFor(serviceAccount, tokens)).build();
            clients.put(serviceAccount, client);
        }
        return client;
    }

    @Override
    public String identityOf(String serviceAccount) {
        return "system:serviceaccount:" + NAMESPACE + ":" + serviceAccount;
    }

    /** The manager's connection settings (server, CA, timeouts) with the token in place of its own credentials. */
    private Config configFor(String serviceAccount, ServiceAccountTokenSource tokens) {
        Config config = new ConfigBuilder(root.getConfiguration()).build();
        config.setClientCertFile(null);
        config.setClientCertData(null);
        config.setClientKeyFile(null);
        config.setClientKeyData(null);
        config.setUsername(null);
        config.setPassword(null);
        config.setOauthToken(null);
        config.setAutoOAuthToken(null);
        config.setAuthProvider(null);
        config.setImpersonateUsername(null);
        config.setOauthTokenProvider(tokens);
        String agent = root.getConfiguration().getUserAgent();
        // upstream appends the controller's identity to the user agent, so audit logs tell controllers apart
        config.setUserAgent((agent == null || agent.isEmpty() ? "kube4j-controller-manager" : agent) + "/"
                + identityOf(serviceAccount));
        return config;
    }

    /**
     * Creates the missing ones of {@code serviceAccounts} concurrently, at most {@link #PARALLEL_CREATES} at a
     * time, after one list of kube-system's service accounts tells which are missing: one after the other, a start
     * under load waited for each create in turn. One already there (another manager raced us) is fine; the first
     * other failure is thrown once all creates have ended.
     */
    @Override
    public void prepare(Collection<String> serviceAccounts) {
        Set<String> wanted = new LinkedHashSet<>(serviceAccounts);
        wanted.removeAll(ensured);
        if (wanted.isEmpty()) {
            return;
        }
        for (ServiceAccount existing : root.serviceAccounts().inNamespace(NAMESPACE).list().getItems()) {
            if (existing.getMetadata() != null && wanted.remove(existing.getMetadata().getName())) {
                ensured.add(existing.getMetadata().getName());
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService creators = Executors.newFixedThreadPool(Math.min(PARALLEL_CREATES, wanted.size()), r -> {
            Thread t = new Thread(r, "controller-sa-create-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> creates = new ArrayList<>();
            for (String name : wanted) {
                creates.add(creators.submit(() -> create(name)));
            }
            RuntimeException failure = null;
            for (Future<?> create : creates) {
                try {
                    create.get();
                } catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException(e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating the controllers' service accounts");
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            creators.shutdownNow();
        }
    }

    /** Creates kube-system/{@code name}; AlreadyExists means someone else did, which is as good. */
    private void create(String name) {
        try {
            root.serviceAccounts().inNamespace(NAMESPACE).resource(new ServiceAccountBuilder().withNewMetadata()
                    .withName(name).withNamespace(NAMESPACE).endMetadata().build()).create();
            LOG.info("created service account {}/{}", NAMESPACE, name);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        ensured.add(name);
    }

    private void ensureServiceAccount(String name) {
        var resource = root.serviceAccounts().inNamespace(NAMESPACE).withName(name);
        if (resource.get() != null) {
            ensured.add(name);
            return;
        }
        create(name);
    }

    private ServiceAccountTokenSource.IssuedToken requestToken(String serviceAccount) {
        TokenRequest request = new TokenRequestBuilder().withNewSpec()
                .withExpirationSeconds(tokenLifetime.toSeconds()).endSpec().build();
        TokenRequest answer;
        try {
            answer = root.serviceAccounts().inNamespace(NAMESPACE).withName(serviceAccount).tokenRequest(request);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
            // someone deleted the service account (its old tokens died with it): make it again
            ensureServiceAccount(serviceAccount);
            answer = root.serviceAccounts().inNamespace(NAMESPACE).withName(serviceAccount).tokenRequest(request);
        }
        if (answer == null || answer.getStatus() == null || answer.getStatus().getToken() == null
                || answer.getStatus().getToken().isEmpty()) {
            throw new IllegalStateException("the API server issued no token for " + identityOf(serviceAccount));
        }
        return new ServiceAccountTokenSource.IssuedToken(answer.getStatus().getToken(),
                expiration(answer.getStatus().getExpirationTimestamp()));
    }

    /** The token's expiry as the server states it; the requested lifetime when it states none we can read. */
    private Instant expiration(String timestamp) {
        if (timestamp != null) {
            try {
                return Instant.parse(timestamp);
            } catch (DateTimeParseException e) {
                LOG.debug("unreadable token expirationTimestamp {}", timestamp);
            }
        }
        return clock.instant().plus(tokenLifetime);
    }

    /** Names of the service accounts that have a client, for tests and logs. */
    public synchronized java.util.Set<String> serviceAccounts() {
        return java.util.Set.copyOf(clients.keySet());
    }

    @Override
    public synchronized void close() {
        closed = true;
        clients.values().forEach(KubernetesClient::close);
        clients.clear();
    }
}
