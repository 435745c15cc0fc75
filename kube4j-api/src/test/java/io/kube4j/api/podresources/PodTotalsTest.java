package io.kube4j.api.podresources;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.api.podresources.PodTotals.Options;
import io.kube4j.api.quantity.Quantity;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Upstream's PodRequests / PodLimits cases (component-helpers/resource helpers_test.go) on kube4j's one copy. */
class PodTotalsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A pod from JSON written with single quotes. */
    private static PodResourceLists pod(String spec) {
        return PodResourceLists.of(JSON.readTree(("{'spec':" + spec + "}").replace('\'', '"')));
    }

    private static String container(String requests, String limits) {
        return "{'name':'c','resources':{'requests':" + requests + ",'limits':" + limits + "}}";
    }

    private static String sidecar(String requests) {
        return "{'name':'s','restartPolicy':'Always','resources':{'requests':" + requests + "}}";
    }

    /** Totals printed as upstream serializes them, for exact comparisons. */
    private static Map<String, String> text(Map<String, Quantity> totals) {
        Map<String, String> out = new TreeMap<>();
        totals.forEach((k, v) -> out.put(k, v.toString()));
        return out;
    }

    private static Map<String, String> requests(PodResourceLists pod) {
        return text(PodTotals.requests(pod, Options.DEFAULT));
    }

    private static Map<String, String> limits(PodResourceLists pod) {
        return text(PodTotals.limits(pod, Options.DEFAULT));
    }

    @Test
    void appContainersAddUpKeepingTheFormatOfTheFirst() {
        PodResourceLists pod = pod("{'containers':[" + container("{'cpu':'1','memory':'1Gi'}", "{}") + ","
                + container("{'cpu':'500m','memory':'512Mi'}", "{}") + "]}");

        assertThat(requests(pod)).isEqualTo(Map.of("cpu", "1500m", "memory", "1536Mi"));
    }

    @Test
    void theLargestInitContainerIsTheFloorOfEachResourceOnItsOwn() {
        PodResourceLists pod = pod("{'initContainers':[" + container("{'cpu':'4','memory':'10Mi'}", "{}") + ","
                + container("{'cpu':'2','memory':'20Mi'}", "{}") + "],'containers':["
                + container("{'cpu':'1','memory':'100Mi'}", "{}") + "]}");

        // init containers run one at a time: cpu is the largest init's, memory the app's larger sum
        assertThat(requests(pod)).isEqualTo(Map.of("cpu", "4", "memory", "100Mi"));
    }

    @Test
    void aSidecarAddsToTheAppAndToEveryInitContainerStartedAfterIt() {
        String app = container("{'cpu':'2'}", "{}");
        String init = container("{'cpu':'5'}", "{}");

        // sidecar 1 + init 5 run together: 6 > app 2 + sidecar 1
        assertThat(requests(pod("{'initContainers':[" + sidecar("{'cpu':'1'}") + "," + init + "],'containers':[" + app + "]}")))
                .isEqualTo(Map.of("cpu", "6"));
        // the init container runs before the sidecar starts: 5 > 3
        assertThat(requests(pod("{'initContainers':[" + init + "," + sidecar("{'cpu':'1'}") + "],'containers':[" + app + "]}")))
                .isEqualTo(Map.of("cpu", "5"));
        // two sidecars and a small init container: the sum of everything long-running wins
        assertThat(requests(pod("{'initContainers':[" + sidecar("{'cpu':'1'}") + "," + container("{'cpu':'1'}", "{}")
                + "," + sidecar("{'cpu':'3'}") + "],'containers':[" + app + "]}"))).isEqualTo(Map.of("cpu", "6"));
    }

    @Test
    void theOverheadIsAddedToEveryRequestButOnlyToLimitsThatAreSet() {
        PodResourceLists pod = pod("{'overhead':{'cpu':'250m','memory':'120Mi'},'containers':["
                + container("{'cpu':'100m','memory':'64Mi'}", "{'memory':'128Mi'}") + "]}");

        assertThat(requests(pod)).isEqualTo(Map.of("cpu", "350m", "memory", "184Mi"));
        assertThat(limits(pod)).isEqualTo(Map.of("memory", "248Mi"));
        assertThat(text(PodTotals.requests(pod, Options.DEFAULT.withoutOverhead())))
                .isEqualTo(Map.of("cpu", "100m", "memory", "64Mi"));
        assertThat(text(PodTotals.limits(pod, Options.DEFAULT.withoutOverhead()))).isEqualTo(Map.of("memory", "128Mi"));
    }

    @Test
    void anOverheadOnlyPodRequestsItsOverhead() {
        PodResourceLists pod = pod("{'overhead':{'cpu':'250m'},'containers':[{'name':'c'}]}");

        assertThat(requests(pod)).isEqualTo(Map.of("cpu", "250m"));
        assertThat(limits(pod)).isEmpty();
    }

    @Test
    void limitsSumOnlyTheContainersThatSetThem() {
        PodResourceLists pod = pod("{'initContainers':[" + container("{}", "{'cpu':'3'}") + "],'containers':["
                + container("{}", "{'memory':'1Gi','cpu':'1'}") + "," + container("{}", "{}") + ","
                + container("{}", "{'memory':'1Gi'}") + "]}");

        assertThat(limits(pod)).isEqualTo(Map.of("cpu", "3", "memory", "2Gi"));
    }

    @Test
    void nonMissingRequestsFillOnlyRequestsNotSetEvenWhenZero() {
        PodResourceLists pod = pod("{'containers':[" + container("{'cpu':'0'}", "{}") + "," + container("{}", "{}") + "]}");
        Options scoring = Options.DEFAULT.withNonMissingContainerRequests(
                Map.of("cpu", Quantity.ofMillis(100), "memory", Quantity.of(200L * 1024 * 1024, Quantity.Format.BINARY_SI)));

        Map<String, Quantity> requests = PodTotals.requests(pod, scoring);

        assertThat(requests.get("cpu").milliValue()).isEqualTo(100);
        assertThat(requests.get("memory").value()).isEqualTo(400L * 1024 * 1024);
        assertThat(requests(pod)).isEqualTo(Map.of("cpu", "0"));
    }

    @Test
    void requestsDefaultToLimitsOnlyWhenAsked() {
        PodResourceLists pod = pod("{'containers':[" + container("{'cpu':'100m'}", "{'cpu':'1','memory':'1Gi'}") + "]}");

        assertThat(requests(pod)).isEqualTo(Map.of("cpu", "100m"));
        assertThat(text(PodTotals.requests(pod, Options.DEFAULT.withRequestsDefaultedToLimits())))
                .isEqualTo(Map.of("cpu", "100m", "memory", "1Gi"));
    }

    @Test
    void podLevelResourcesReplaceTheSupportedNamesOnlyWhenEnabled() {
        PodResourceLists pod = pod("{'resources':{'requests':{'cpu':'2','ephemeral-storage':'1Gi'},'limits':{'memory':'1Gi'}},"
                + "'overhead':{'cpu':'100m','memory':'10Mi'},'containers':["
                + container("{'cpu':'1','memory':'100Mi'}", "{'memory':'200Mi'}") + "]}");
        Options podLevel = Options.DEFAULT.withPodLevelResources();

        assertThat(requests(pod)).isEqualTo(Map.of("cpu", "1100m", "memory", "110Mi"));
        assertThat(text(PodTotals.requests(pod, podLevel))).isEqualTo(Map.of("cpu", "2100m", "memory", "110Mi"));
        assertThat(text(PodTotals.limits(pod, podLevel))).isEqualTo(Map.of("memory", "1034Mi"));
    }

    @Test
    void aFabric8PodTotalsAsItsJson() {
        Pod pod = new PodBuilder().withNewSpec()
                .addToOverhead("cpu", new io.fabric8.kubernetes.api.model.Quantity("50m"))
                .addToInitContainers(new ContainerBuilder().withName("s").withRestartPolicy("Always").withNewResources()
                        .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
                        .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("64", "Mi"))
                        .endResources().build())
                .addToContainers(new ContainerBuilder().withName("c").withNewResources()
                        .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("1.5"))
                        .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
                        .endResources().build())
                .endSpec().build();
        PodResourceLists json = pod("{'overhead':{'cpu':'50m'},'initContainers':[{'name':'s','restartPolicy':'Always',"
                + "'resources':{'requests':{'cpu':'100m'},'limits':{'memory':'64Mi'}}}],'containers':["
                + container("{'cpu':'1.5'}", "{'memory':'1Gi'}") + "]}");

        assertThat(requests(PodResourceLists.of(pod))).isEqualTo(requests(json)).isEqualTo(Map.of("cpu", "1650m"));
        assertThat(limits(PodResourceLists.of(pod))).isEqualTo(limits(json)).isEqualTo(Map.of("memory", "1088Mi"));
        assertThat(requests(PodResourceLists.of(new Pod()))).isEmpty();
    }

    @Test
    void anEntryThatIsNoQuantityIsLeftOut() {
        JsonNode list = JSON.readTree("{\"cpu\":\"lots\",\"memory\":\"1Gi\"}");

        assertThat(text(PodResourceLists.list(list))).isEqualTo(Map.of("memory", "1Gi"));
    }
}
