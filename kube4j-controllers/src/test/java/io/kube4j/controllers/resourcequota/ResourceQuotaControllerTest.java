package io.kube4j.controllers.resourcequota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpec;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpecBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.integration.ApiServerCluster;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The quota controller's usage sums on a real kube4j API server. */
class ResourceQuotaControllerTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;

    @BeforeEach
    void start() {
        client = cluster.client();
        cluster.createNamespace("q");
    }

    @Test
    void formatsSummedQuantities() {
        assertThat(QuantityFormat.format(new BigDecimal("0.75"), false).toString()).isEqualTo("750m");
        assertThat(QuantityFormat.format(new BigDecimal("2"), false).toString()).isEqualTo("2");
        assertThat(QuantityFormat.format(new BigDecimal(256L * 1024 * 1024), true).toString()).isEqualTo("256Mi");
        assertThat(QuantityFormat.format(BigDecimal.ZERO, true).toString()).isEqualTo("0");
    }

    @Test
    void usedCountsObjectsAndSumsPodRequests() throws Exception {
        for (int i = 0; i < 3; i++) {
            Pod created = client.pods().inNamespace("q").resource(new PodBuilder().withNewMetadata().withName("p" + i)
                    .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("x").withNewResources()
                    .withRequests(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("128Mi")))
                    .withLimits(Map.of("cpu", new Quantity("500m"))).endResources().endContainer().endSpec().build())
                    .create();
            // the phase its kubelet would report (a status sent on create is dropped); a finished pod uses no quota
            client.pods().inNamespace("q").resource(new PodBuilder(created).withNewStatus()
                    .withPhase(i == 2 ? "Succeeded" : "Running").endStatus().build()).updateStatus();
        }
        client.configMaps().inNamespace("q").resource(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata()
                .build()).create();
        cluster.startControllers(new ControllerManagerOptions(), "resourcequota");
        client.resourceQuotas().inNamespace("q").resource(new ResourceQuotaBuilder().withNewMetadata().withName("quota")
                .endMetadata().withNewSpec().withHard(Map.of("pods", new Quantity("10"), "requests.cpu", new Quantity("2"),
                        "requests.memory", new Quantity("1Gi"), "limits.cpu", new Quantity("4"),
                        "count/configmaps", new Quantity("5"), "count/pods", new Quantity("10"))).endSpec().build())
                .create();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            ResourceQuota q = client.resourceQuotas().inNamespace("q").withName("quota").get();
            Map<String, Quantity> used = q.getStatus().getUsed();
            assertThat(used.get("pods").toString()).isEqualTo("2");
            // count/pods counts every pod stored, the finished one too (upstream's PodUsageFunc)
            assertThat(used.get("count/pods").toString()).isEqualTo("3");
            assertThat(used.get("requests.cpu").toString()).isEqualTo("500m");
            assertThat(used.get("requests.memory").toString()).isEqualTo("256Mi");
            assertThat(used.get("limits.cpu").toString()).isEqualTo("1");
            assertThat(used.get("count/configmaps").toString()).isEqualTo("1");
            assertThat(q.getStatus().getHard()).containsKey("pods");
        });
    }

    @Test
    void aTerminatingPodIsChargedUntilItsGracePeriodHasPassed() throws Exception {
        deleteGracefully(createScheduledPod("leaving"));
        cluster.startControllers(new ControllerManagerOptions(), "resourcequota");
        createQuota();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(used())
                .containsEntry("pods", "1").containsEntry("count/pods", "1").containsEntry("requests.cpu", "250m"));
    }

    @Test
    void aPodTerminatingLongerThanItsGracePeriodCountsOnlyAsStored() throws Exception {
        deleteGracefully(createScheduledPod("stuck"));
        // as if its node were lost an hour ago: the pod stays stored, terminating, long past its 30s of grace
        cluster.startControllers(new ControllerManagerOptions().clock(Clock.offset(Clock.systemUTC(),
                Duration.ofHours(1))), "resourcequota");
        createQuota();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(used())
                .containsEntry("pods", "0").containsEntry("count/pods", "1").containsEntry("requests.cpu", "0"));
    }

    @Test
    void aScopedQuotaCountsOnlyThePodsItsScopesCover() throws Exception {
        client.resource(new PriorityClassBuilder().withNewMetadata().withName("high").endMetadata().withValue(1000)
                .build()).create();
        createPod(new PodBuilder().withNewMetadata().withName("besteffort").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("x").endContainer().endSpec().build());
        createPod(withCpu("burstable", "250m").editSpec().withActiveDeadlineSeconds(60L).endSpec().build());
        createPod(withCpu("high", "500m").editSpec().withPriorityClassName("high").withNewAffinity()
                .withNewPodAntiAffinity().addNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withTopologyKey("kubernetes.io/hostname").withNamespaces("other").endRequiredDuringSchedulingIgnoredDuringExecution()
                .endPodAntiAffinity().endAffinity().endSpec().build());
        cluster.startControllers(new ControllerManagerOptions(), "resourcequota");
        Map<String, Quantity> podsAndCpu = Map.of("pods", new Quantity("10"), "count/pods", new Quantity("10"),
                "requests.cpu", new Quantity("4"));
        createQuota("terminating", new ResourceQuotaSpecBuilder().withHard(podsAndCpu).withScopes("Terminating").build());
        createQuota("not-terminating", new ResourceQuotaSpecBuilder().withHard(podsAndCpu).withScopes("NotTerminating")
                .build());
        createQuota("besteffort", new ResourceQuotaSpecBuilder().withHard(Map.of("pods", new Quantity("10")))
                .withScopes("BestEffort").build());
        createQuota("not-besteffort", new ResourceQuotaSpecBuilder().withHard(podsAndCpu).withScopes("NotBestEffort")
                .build());
        createQuota("high", new ResourceQuotaSpecBuilder().withHard(podsAndCpu).withNewScopeSelector()
                .addNewMatchExpression().withScopeName("PriorityClass").withOperator("In").withValues("high")
                .endMatchExpression().endScopeSelector().build());
        createQuota("no-class", new ResourceQuotaSpecBuilder().withHard(podsAndCpu).withNewScopeSelector()
                .addNewMatchExpression().withScopeName("PriorityClass").withOperator("DoesNotExist")
                .endMatchExpression().endScopeSelector().build());
        createQuota("cross", new ResourceQuotaSpecBuilder().withHard(podsAndCpu).withScopes("CrossNamespacePodAffinity")
                .build());
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            assertThat(used("terminating")).containsEntry("pods", "1").containsEntry("requests.cpu", "250m");
            assertThat(used("not-terminating")).containsEntry("pods", "2").containsEntry("count/pods", "2")
                    .containsEntry("requests.cpu", "500m");
            assertThat(used("besteffort")).containsEntry("pods", "1");
            assertThat(used("not-besteffort")).containsEntry("pods", "2").containsEntry("requests.cpu", "750m");
            assertThat(used("high")).containsEntry("pods", "1").containsEntry("requests.cpu", "500m");
            assertThat(used("no-class")).containsEntry("pods", "2").containsEntry("requests.cpu", "250m");
            assertThat(used("cross")).containsEntry("pods", "1").containsEntry("requests.cpu", "500m");
        });
    }

    @Test
    void countsOtherKindsStorageClassesAndExtendedResources() throws Exception {
        client.resource(new IngressBuilder().withNewMetadata().withName("web").withNamespace("q").endMetadata()
                .withNewSpec().withNewDefaultBackend().withNewService().withName("web").withNewPort().withNumber(80)
                .endPort().endService().endDefaultBackend().endSpec().build()).create();
        client.resource(new LeaseBuilder().withNewMetadata().withName("lock").withNamespace("q").endMetadata()
                .withNewSpec().endSpec().build()).create();
        for (String name : new String[]{"fast-1", "fast-2", "plain"}) {
            client.persistentVolumeClaims().inNamespace("q").resource(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(name).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                    .withStorageClassName(name.startsWith("fast") ? "fast" : "slow").withNewResources()
                    .withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec().build()).create();
        }
        createPod(new PodBuilder().withNewMetadata().withName("gpu").endMetadata().withNewSpec().addNewContainer()
                .withName("c").withImage("x").withNewResources()
                .withRequests(Map.of("example.com/gpu", new Quantity("2"), "hugepages-2Mi", new Quantity("4Mi"),
                        "memory", new Quantity("64Mi")))
                .withLimits(Map.of("example.com/gpu", new Quantity("2"), "hugepages-2Mi", new Quantity("4Mi"),
                        "memory", new Quantity("64Mi")))
                .endResources().endContainer().endSpec().build());
        cluster.startControllers(new ControllerManagerOptions(), "resourcequota");
        createQuota("quota", new ResourceQuotaSpecBuilder().withHard(Map.of(
                "count/ingresses.networking.k8s.io", new Quantity("5"),
                "count/leases.coordination.k8s.io", new Quantity("5"),
                "count/widgets.example.com", new Quantity("5"),
                "fast.storageclass.storage.k8s.io/requests.storage", new Quantity("10Gi"),
                "fast.storageclass.storage.k8s.io/persistentvolumeclaims", new Quantity("5"),
                "requests.storage", new Quantity("10Gi"),
                "requests.example.com/gpu", new Quantity("4"),
                "requests.hugepages-2Mi", new Quantity("1Gi"))).build());
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(used("quota"))
                .containsEntry("count/ingresses.networking.k8s.io", "1")
                .containsEntry("count/leases.coordination.k8s.io", "1")
                .containsEntry("fast.storageclass.storage.k8s.io/requests.storage", "2Gi")
                .containsEntry("fast.storageclass.storage.k8s.io/persistentvolumeclaims", "2")
                .containsEntry("requests.storage", "3Gi")
                .containsEntry("requests.example.com/gpu", "2")
                .containsEntry("requests.hugepages-2Mi", "4Mi")
                // no such kind is served: upstream has no evaluator for it, so it gets no usage
                .doesNotContainKey("count/widgets.example.com"));
    }

    @Test
    void aPodThatFinishesIsNoLongerCharged() throws Exception {
        Pod pod = createScheduledPod("job");
        cluster.startControllers(new ControllerManagerOptions(), "resourcequota");
        createQuota();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(used())
                .containsEntry("pods", "1").containsEntry("requests.cpu", "250m"));
        // only updates that change a charge make the controller count again (upstream's replenishment): finishing is one
        client.pods().inNamespace("q").resource(new PodBuilder(client.pods().inNamespace("q").resource(pod).get())
                .withNewStatus().withPhase("Succeeded").endStatus().build()).updateStatus();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(used())
                .containsEntry("pods", "0").containsEntry("count/pods", "1").containsEntry("requests.cpu", "0"));
    }

    @Test
    void aFullResyncSeesDeletionsOfKindsWithoutInformer() throws Exception {
        client.resource(new LeaseBuilder().withNewMetadata().withName("lock").withNamespace("q").endMetadata()
                .withNewSpec().endSpec().build()).create();
        cluster.startControllers(new ControllerManagerOptions().resourceQuotaSyncPeriod(Duration.ofSeconds(1)),
                "resourcequota");
        createQuota("quota", new ResourceQuotaSpecBuilder().withHard(Map.of("count/leases.coordination.k8s.io",
                new Quantity("5"))).build());
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(used("quota"))
                .containsEntry("count/leases.coordination.k8s.io", "1"));
        // no informer watches leases, so no event follows the deletion: the periodic recount finds it
        client.leases().inNamespace("q").withName("lock").delete();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(used("quota"))
                .containsEntry("count/leases.coordination.k8s.io", "0"));
    }

    @Test
    void aLoadBalancerThatAllocatesNoNodePortsIsChargedOnlyThoseItNames() throws Exception {
        createService("node-port", "NodePort", null, new ServicePortBuilder().withPort(80).build());
        createService("lb-none", "LoadBalancer", false, new ServicePortBuilder().withName("http").withPort(80).build(),
                new ServicePortBuilder().withName("tls").withPort(443).build());
        createService("lb-named", "LoadBalancer", false, new ServicePortBuilder().withName("http").withPort(80)
                .withNodePort(30082).build(), new ServicePortBuilder().withName("tls").withPort(443).build());
        createService("lb-all", "LoadBalancer", null, new ServicePortBuilder().withPort(80).build());
        cluster.startControllers(new ControllerManagerOptions(), "resourcequota");
        createQuota("ports", new ResourceQuotaSpecBuilder().withHard(Map.of("services.nodeports", new Quantity("10"),
                "services.loadbalancers", new Quantity("10"))).build());
        // upstream's service evaluator: 1 (NodePort) + 0 + 1 (the port naming one) + 1 (allocated by default)
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(used("ports"))
                .containsEntry("services.nodeports", "3").containsEntry("services.loadbalancers", "3"));
    }

    @Test
    void aKindThatCannotBeListedKeepsItsLastUsageWhileTheOthersAreCounted() throws Exception {
        // an aggregated API whose server is not there: discovery of its group answers 503
        client.genericKubernetesResources("apiregistration.k8s.io/v1", "APIService").resource(
                new GenericKubernetesResourceBuilder().withApiVersion("apiregistration.k8s.io/v1").withKind("APIService")
                        .withNewMetadata().withName("v1.example.com").endMetadata().withAdditionalProperties(Map.of(
                                "spec", Map.of("group", "example.com", "version", "v1", "groupPriorityMinimum", 1000,
                                        "versionPriority", 15, "insecureSkipTLSVerify", true,
                                        "service", Map.of("namespace", "q", "name", "absent")))).build()).create();
        createPod(withCpu("p", "100m").build());
        createQuota("quota", new ResourceQuotaSpecBuilder().withHard(Map.of("count/widgets.example.com",
                new Quantity("5"), "pods", new Quantity("5"))).build());
        // what an earlier count left
        client.resourceQuotas().inNamespace("q").withName("quota").editStatus(q -> new ResourceQuotaBuilder(q)
                .withNewStatus().withHard(q.getSpec().getHard()).withUsed(Map.of("count/widgets.example.com",
                        new Quantity("3"), "pods", new Quantity("0"))).endStatus().build());
        cluster.startControllers(new ControllerManagerOptions(), "resourcequota");
        // as upstream's CalculateUsage: the failed evaluator's names keep their usage, the others are counted
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(used("quota"))
                .containsEntry("pods", "1").containsEntry("count/widgets.example.com", "3"));
    }

    private void createService(String name, String type, Boolean allocateNodePorts, ServicePort... ports) {
        client.services().inNamespace("q").resource(new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withType(type).withAllocateLoadBalancerNodePorts(allocateNodePorts)
                .withSelector(Map.of("app", name)).withPorts(ports).endSpec().build()).create();
    }

    private void createPod(Pod pod) {
        client.pods().inNamespace("q").resource(pod).create();
    }

    private static PodBuilder withCpu(String name, String cpu) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().addNewContainer()
                .withName("c").withImage("x").withNewResources().withRequests(Map.of("cpu", new Quantity(cpu)))
                .endResources().endContainer().endSpec();
    }

    private void createQuota(String name, ResourceQuotaSpec spec) {
        client.resourceQuotas().inNamespace("q").resource(new ResourceQuotaBuilder().withNewMetadata().withName(name)
                .endMetadata().withSpec(spec).build()).create();
    }

    private Map<String, String> used(String quota) {
        Map<String, String> used = new TreeMap<>();
        client.resourceQuotas().inNamespace("q").withName(quota).get().getStatus().getUsed()
                .forEach((name, quantity) -> used.put(name, quantity.toString()));
        return used;
    }

    /** A pod bound to a node, so that its deletion is graceful (no kubelet runs here to finish it). */
    private Pod createScheduledPod(String name) {
        return client.pods().inNamespace("q").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("x").withNewResources()
                .withRequests(Map.of("cpu", new Quantity("250m"))).endResources().endContainer().endSpec().build())
                .create();
    }

    private void deleteGracefully(Pod pod) {
        client.pods().inNamespace("q").resource(pod).delete();
        Pod terminating = client.pods().inNamespace("q").withName(pod.getMetadata().getName()).get();
        assertThat(terminating.getMetadata().getDeletionTimestamp()).as("deletion is graceful").isNotNull();
        assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
    }

    private void createQuota() {
        client.resourceQuotas().inNamespace("q").resource(new ResourceQuotaBuilder().withNewMetadata().withName("quota")
                .endMetadata().withNewSpec().withHard(Map.of("pods", new Quantity("10"), "count/pods",
                        new Quantity("10"), "requests.cpu", new Quantity("2"))).endSpec().build()).create();
    }

    private Map<String, String> used() {
        Map<String, String> used = new TreeMap<>();
        client.resourceQuotas().inNamespace("q").withName("quota").get().getStatus().getUsed()
                .forEach((name, quantity) -> used.put(name, quantity.toString()));
        return used;
    }
}
