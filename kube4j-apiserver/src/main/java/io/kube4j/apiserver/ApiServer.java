package io.kube4j.apiserver;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.validation.NonSpecialIp;
import io.kube4j.apiserver.admission.policy.PolicyStatusController;
import io.kube4j.apiserver.apiregistration.ApiRegistration;
import io.kube4j.apiserver.componentstatus.ComponentStatusApi;
import io.kube4j.apiserver.componentstatus.ComponentStatuses;
import io.kube4j.apiserver.crd.CrdController;
import io.kube4j.apiserver.discovery.KindSchemas;
import io.kube4j.apiserver.endpoints.ApiHandler;
import io.kube4j.apiserver.endpoints.ResourceHandler;
import io.kube4j.apiserver.flowcontrol.FlowControl;
import io.kube4j.apiserver.flowcontrol.FlowControlConfigController;
import io.kube4j.apiserver.health.HealthChecks;
import io.kube4j.apiserver.audit.AuditLog;
import io.kube4j.apiserver.authn.UnionTokenAuthenticator;
import io.kube4j.apiserver.authz.AccessReviews;
import io.kube4j.apiserver.authz.Decision;
import io.kube4j.apiserver.authz.LookupRbacSource;
import io.kube4j.apiserver.authz.RbacAuthorizer;
import io.kube4j.apiserver.http.HttpServer;
import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.KeyAlgorithm;
import io.kube4j.apiserver.pki.Kubeconfigs;
import io.kube4j.apiserver.pki.PkiOptions;
import io.kube4j.apiserver.pki.TlsContexts;
import io.kube4j.apiserver.security.ApiSecurity;
import io.kube4j.apiserver.security.RbacBootstrap;
import io.kube4j.apiserver.security.RegistryObjectLookup;
import io.kube4j.apiserver.security.ReviewEndpoints;
import io.netty.handler.ssl.SslContext;
import io.kube4j.apiserver.metrics.ApiMetrics;
import io.kube4j.apiserver.metrics.StorageMetrics;
import io.kube4j.apiserver.registry.Compactor;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.apiserver.resourcemetrics.MetricsScraper;
import io.kube4j.apiserver.resourcemetrics.RegistryClusterObjects;
import io.kube4j.apiserver.resourcemetrics.ResourceMetricsApi;
import io.kube4j.apiserver.resourcemetrics.UsageStore;
import io.kube4j.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The kube4j API server: the Kubernetes REST API over a {@link Store}. Start it with {@link #start}; it serves
 * until {@link #close}. The store stays the caller's to close.
 * <p>
 * With {@link ApiServerConfig#withSecurity} it serves TLS only, with the cluster PKI under the data directory,
 * authentication, RBAC/Node authorization and admission, and writes kubeconfigs with client certificates for the
 * admin and each control-plane component. Without it, it is <em>insecure serving</em>: plain HTTP and no access
 * control, for in-process tests and benchmarks.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final HttpServer http;
    private final HttpServer insecureHttp;
    private final ApiSecurity security;
    private final AuditLog audit;
    private final Resources resources;
    private final ScheduledExecutorService timers;
    private final Path kubeconfig;
    private final CrdController crdController;
    /** ValidatingAdmissionPolicies' status.typeChecking. */
    private final PolicyStatusController policyStatus;
    private final MetricsScraper metricsScraper;
    /** How clients on this host reach the server: {@link ServerAddresses#localUrl}. */
    private final String url;
    /** Keeps Service default/kubernetes and publishes this server in its endpoints. */
    private final KubernetesServiceController kubernetesService;
    /** APIServices: their registration and availability. */
    private final ApiRegistration apiRegistration;
    private static final String HOOK_SYSTEM_NAMESPACES = "start-system-namespaces-controller";
    private static final String HOOK_PRIORITY_CLASSES = "scheduling/bootstrap-system-priority-classes";
    private static final String HOOK_RBAC = "rbac/bootstrap-roles";
    /** /healthz, /livez, /readyz: told when the start steps finish and when the server stops. */
    private final HealthChecks health;

    private ApiServer(HttpServer http, HttpServer insecureHttp, ApiSecurity security, AuditLog audit,
                      Resources resources, ScheduledExecutorService timers, Path kubeconfig,
                      CrdController crdController, PolicyStatusController policyStatus,
                      MetricsScraper metricsScraper, KubernetesServiceController kubernetesService,
                      ApiRegistration apiRegistration, String url, HealthChecks health) {
        this.policyStatus = policyStatus;
        this.health = health;
        this.kubernetesService = kubernetesService;
        this.apiRegistration = apiRegistration;
        this.url = url;
        this.metricsScraper = metricsScraper;
        this.audit = audit;
        this.insecureHttp = insecureHttp;
        this.security = security;
        this.crdController = crdController;
        this.http = http;
        this.resources = resources;
        this.timers = timers;
        this.kubeconfig = kubeconfig;
    }

    /** Serves the API on {@code bind} and writes {@code dataDir/admin.kubeconfig} (if dataDir is not null). */
    public static ApiServer start(Store store, InetSocketAddress bind, Path dataDir) {
        return start(ApiServerConfig.defaults(store, bind, dataDir));
    }

    public static ApiServer start(ApiServerConfig config) {
        ResourceRegistry registry = ResourceRegistry.builtin();
        StorageMetrics storageMetrics = new StorageMetrics();
        Resources resources = new Resources(registry, config.store(), Clock.systemUTC(),
                config.watchCacheCapacity(), config.serviceCidr(), storageMetrics);
        CrdController crdController = CrdController.start(registry, resources, config.store());
        PolicyStatusController policyStatus = PolicyStatusController.start(resources,
                new KindSchemas(registry, resources));
        ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, daemon("apiserver-timer"));
        HttpServer http = null;
        HttpServer insecureHttp = null;
        KubernetesServiceController kubernetesService = null;
        AuditLog audit = null;
        MetricsScraper scraper = null;
        ApiRegistration apiRegistration = null;
        try {
            ApiSecurity security = null;
            SslContext tls = null;
            SecurityOptions options = config.security();
            if (options != null) {
                if (config.dataDir() == null && options.tlsDir() == null) {
                    throw new IllegalArgumentException("secure serving needs a data directory for its certificates");
                }
                // RSA keys: every client reads them, fabric8 included (it reads EC keys only with BouncyCastle)
                // the serving certificate names the kubernetes Service's ClusterIP, the range's first address
                ClusterPki pki = ClusterPki.loadOrCreate(options.tlsDir(), PkiOptions.defaults()
                        .withServiceClusterIp(resources.clusterIps().first())
                        .withKeyAlgorithm(KeyAlgorithm.RSA_2048)
                        .withTlsSans(options.tlsSans()).withNodeAddresses(options.nodeAddresses()));
                security = ApiSecurity.create(pki, resources, options.tokenAuthFile(), Clock.systemUTC());
                tls = TlsContexts.server(pki, true);
            }
            // every built-in group/version is in the registry now: each gets its Local APIService
            apiRegistration = ApiRegistration.start(registry, resources);
            ReviewEndpoints reviews = security != null
                    ? new ReviewEndpoints(security.reviews(), security.tokenAuthenticator(), security.apiAudiences())
                    : insecureReviews(resources);
            ApiMetrics metrics = new ApiMetrics(resources::watchCount, resources::storedObjectCounts);
            // queued requests run on the worker pool once a seat frees
            ExecutorService workers = Executors.newFixedThreadPool(config.workerThreads(), daemon("apiserver-worker"));
            FlowControl flowControl = new FlowControl(config.concurrencyLimit(), workers, timers,
                    FlowControl.DEFAULT_MAX_WAIT);
            metrics.addSection(flowControl::renderMetrics);
            metrics.addSection(storageMetrics::render);
            ResourceHandler resourceHandler = new ResourceHandler(resources, config.store(), timers, security);
            int[] port = {0};
            if (options != null && options.auditLogPath() != null) {
                audit = AuditLog.open(options.auditLogPath());
            }
            // discovery's serverAddressByClientCIDRs: where clients reach the server, as upstream's external address
            String advertisedHost = ServerAddresses.advertisedHost(config);
            // upstream's post-start hooks of the steps below: the server is not healthy until they have run
            HealthChecks health = new HealthChecks(config.store()).hook(HOOK_SYSTEM_NAMESPACES)
                    .hook(HOOK_PRIORITY_CLASSES);
            if (security != null) {
                health.hook(HOOK_RBAC);
            }
            ApiHandler handler = new ApiHandler(registry, resourceHandler, metrics,
                    () -> ServerAddresses.hostPort(advertisedHost, port[0]), security, reviews, audit, health);
            // metrics.k8s.io served natively, as k3s bundles metrics-server
            UsageStore usage = new UsageStore();
            RegistryClusterObjects cluster = new RegistryClusterObjects(resources);
            ResourceMetricsApi metricsApi = new ResourceMetricsApi(registry, usage, cluster, Clock.systemUTC());
            handler.serveResourceMetrics(metricsApi);
            ComponentStatusApi componentStatuses = ComponentStatuses.api(registry, config.store(),
                    new RegistryObjectLookup(resources), Clock.systemUTC());
            handler.serveComponentStatuses(componentStatuses);
            handler.serveApiServices(apiRegistration.unproxied());
            scraper = new MetricsScraper(cluster::nodes, handler.kubeletReader(), usage, Clock.systemUTC());
            // the configuration producer writes through the registries, so flow control is set up before serving
            FlowControlConfigController.start(resources, flowControl, timers, Clock.systemUTC());
            handler.serveFlowControl(flowControl);
            http = HttpServer.start(config.bind(), handler, workers, config.maxBodyBytes(), tls);
            port[0] = http.port();
            if (ServerAddresses.listensApart(config.bind(), config.advertiseAddress())) {
                if (ServerAddresses.isAddressOfThisHost(config.advertiseAddress())) {
                    // pods reach the API through the kubernetes Service, DNATed to this address: the same port,
                    // handler and pools (a second worker pool would only double the threads: the work is the same)
                    http.listenAlso(new InetSocketAddress(config.advertiseAddress(), http.port()));
                    LOG.info("API server also listening on the advertise address {}:{}", config.advertiseAddress(),
                            http.port());
                } else {
                    // a NAT or load-balancer address, as upstream allows: published, but nothing to listen on here
                    LOG.warn("advertise address {} is not an address of this host: published in the kubernetes "
                            + "Service's endpoints, not listened on; whatever routes it must forward port {} here",
                            config.advertiseAddress(), http.port());
                }
            }
            if (options != null && options.insecurePort() > 0) {
                // upstream's old insecure port: loopback only, no authentication, everything allowed
                ApiHandler open = new ApiHandler(registry, resourceHandler, metrics,
                        () -> ServerAddresses.hostPort(advertisedHost, port[0]), null, reviews, audit, health);
                open.serveResourceMetrics(metricsApi);
                open.serveComponentStatuses(componentStatuses);
                open.serveApiServices(apiRegistration.unproxied());
                insecureHttp = HttpServer.start(new InetSocketAddress("127.0.0.1", options.insecurePort()), open,
                        Executors.newFixedThreadPool(4, daemon("apiserver-insecure")), config.maxBodyBytes(), null);
                LOG.warn("insecure port {} on 127.0.0.1: no authentication, no authorization", insecureHttp.port());
            }
            new SystemNamespacesController(resources).start(timers);
            health.hookDone(HOOK_SYSTEM_NAMESPACES);
            Bootstrap.systemPriorityClasses(resources);
            health.hookDone(HOOK_PRIORITY_CLASSES);
            new ApiServerIdentity(resources, Clock.systemUTC(), ApiServerIdentity.hostname()).start(timers);
            kubernetesService = new KubernetesServiceController(resources, http.port(),
                    publishable(config.advertiseAddress()) ? new KubernetesEndpointsReconciler(resources,
                            config.store(), config.advertiseAddress(), http.port()) : null).start(timers);
            long interval = config.bookmarkInterval().toMillis();
            timers.scheduleWithFixedDelay(resources::progressAll, interval, interval, TimeUnit.MILLISECONDS);
            Compactor.schedule(config.store(), timers, Compactor.DEFAULT_INTERVAL);
            scraper.start(config.metricResolution());
            if (security != null) {
                RbacBootstrap.ensureDefaults(resources);
                health.hookDone(HOOK_RBAC);
                Bootstrap.clusterInfo(resources, ServerAddresses.advertisedUrl(config, http.port()),
                        security.pki().caCertificate());
                timers.scheduleWithFixedDelay(() -> aggregateQuietly(resources), 1, 1, TimeUnit.SECONDS);
            }
            Path kubeconfig = null;
            if (config.dataDir() != null) {
                if (security != null) {
                    kubeconfig = Kubeconfigs.writeControlPlane(security.pki(), config.dataDir(),
                            ServerAddresses.localUrl(config, http.port())).get(ClusterPki.ADMIN);
                } else {
                    kubeconfig = Kubeconfig.write(config.dataDir(), ServerAddresses.localUrl(config, http.port()));
                }
            }
            LOG.info("API server listening on {}:{} ({})", config.bind().getHostString(), http.port(),
                    security != null ? "TLS" : "insecure serving: plain HTTP, no authentication");
            return new ApiServer(http, insecureHttp, security, audit, resources, timers, kubeconfig, crdController,
                    policyStatus, scraper, kubernetesService, apiRegistration,
                    ServerAddresses.localUrl(config, http.port()), health);
        } catch (IOException e) {
            closeQuietly(kubernetesService);
            closeQuietly(scraper);
            if (apiRegistration != null) {
                apiRegistration.close();
            }
            crdController.close();
            policyStatus.close();
            if (insecureHttp != null) {
                insecureHttp.close();
            }
            if (audit != null) {
                audit.close();
            }
            closeQuietly(http, resources, timers);
            throw new UncheckedIOException("cannot write the certificates or kubeconfigs: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(kubernetesService);
            closeQuietly(scraper);
            if (apiRegistration != null) {
                apiRegistration.close();
            }
            crdController.close();
            policyStatus.close();
            if (insecureHttp != null) {
                insecureHttp.close();
            }
            if (audit != null) {
                audit.close();
            }
            closeQuietly(http, resources, timers);
            throw e;
        }
    }

    /** Review APIs under insecure serving: everything is allowed; rules reviews still read RBAC. */
    private static ReviewEndpoints insecureReviews(Resources resources) {
        RbacAuthorizer rbac = new RbacAuthorizer(new LookupRbacSource(new RegistryObjectLookup(resources)));
        return new ReviewEndpoints(new AccessReviews((user, attributes) -> Decision.allow("insecure serving"), rbac),
                new UnionTokenAuthenticator(List.of()), List.of());
    }

    private static void aggregateQuietly(Resources resources) {
        try {
            RbacBootstrap.aggregate(resources);
        } catch (RuntimeException e) {
            LOG.debug("ClusterRole aggregation failed; retrying", e);
        }
    }

    public int port() {
        return http.port();
    }

    /** True when serving TLS with access control. */
    public boolean secure() {
        return security != null;
    }

    /** The cluster PKI of secure serving (for the kubeconfigs of nodes and other clients), or null. */
    public ClusterPki pki() {
        return security == null ? null : security.pki();
    }

    /** The insecure port's number, or -1 when there is none. */
    public int insecurePort() {
        return insecureHttp == null ? -1 : insecureHttp.port();
    }

    /**
     * {@code https://127.0.0.1:<port>} (or, under insecure serving, {@code http://...}) when bound to loopback or the
     * wildcard, else the bind address: where clients on this host, the admin kubeconfig's included, reach it.
     */
    public String url() {
        return url;
    }

    /** The admin kubeconfig written at start, or null if there was no data directory. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public void close() {
        health.shuttingDown();
        kubernetesService.close(); // while the store is still open: withdraws this server's address
        metricsScraper.close();
        apiRegistration.close();
        crdController.close();
        policyStatus.close();
        if (insecureHttp != null) {
            insecureHttp.close();
        }
        closeQuietly(http, resources, timers);
        if (audit != null) {
            audit.close();
        }
    }

    private static void closeQuietly(HttpServer http, Resources resources, ScheduledExecutorService timers) {
        timers.shutdownNow();
        if (http != null) {
            http.close();
        }
        resources.close();
    }

    private static void closeQuietly(KubernetesServiceController kubernetesService) {
        if (kubernetesService != null) {
            kubernetesService.close();
        }
    }

    private static void closeQuietly(MetricsScraper scraper) {
        if (scraper != null) {
            scraper.close();
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Whether the advertise address can be published in the kubernetes Endpoints: not when there is none, nor when it
     * is one an endpoint may not be (loopback, link-local, unspecified), which validation refuses. Upstream 1.32
     * would still put such an address in its lease pool, where it blocks every API server's write of the Endpoints
     * (kubernetes#121942, later fixed by checking at start-up); here it is left out with a warning, and the server
     * serves as without an advertise address (pods could not reach a loopback address through the Service anyway).
     */
    private static boolean publishable(String advertiseAddress) {
        if (advertiseAddress == null) {
            return false;
        }
        List<String> problems = NonSpecialIp.problems(advertiseAddress);
        if (!problems.isEmpty()) {
            LOG.warn("advertise address {} is not published in the kubernetes Service's endpoints: it {}; give "
                    + "--advertise-address an address pods reach this host on", advertiseAddress,
                    String.join(", ", problems));
        }
        return problems.isEmpty();
    }
}
