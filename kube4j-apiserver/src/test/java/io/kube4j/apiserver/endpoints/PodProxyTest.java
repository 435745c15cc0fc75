package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where pods/proxy sends a request: upstream's pod ResourceLocation. */
class PodProxyTest {

    private static ObjectNode pod(String ports, String podIps) {
        return (ObjectNode) Json.parse(("{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\",\"ports\":[" + ports
                + "]}]},\"status\":{\"podIP\":\"10.9.9.9\",\"podIPs\":[" + podIps + "]}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void thePortIsTheRequestsOrTheFirstDeclaredContainerPortOrNone() {
        ObjectNode withPorts = pod("{\"containerPort\":8080},{\"containerPort\":9090}", "{\"ip\":\"10.1.2.3\"}");
        assertThat(PodProxy.authority(withPorts, SchemeNamePort.parse("p", "pod"))).isEqualTo("10.1.2.3:8080");
        assertThat(PodProxy.authority(withPorts, SchemeNamePort.parse("https:p:8443", "pod")))
                .isEqualTo("10.1.2.3:8443");
        // no port anywhere: the scheme's own, as upstream's URL without one
        assertThat(PodProxy.authority(pod("", "{\"ip\":\"10.1.2.3\"}"), SchemeNamePort.parse("p", "pod")))
                .isEqualTo("10.1.2.3");
        assertThat(PodProxy.authority(pod("", "{\"ip\":\"fd00::5\"},{\"ip\":\"10.1.2.3\"}"),
                SchemeNamePort.parse("p:80", "pod"))).isEqualTo("[fd00::5]:80");
    }

    @Test
    void onlyAGlobalUnicastFirstPodIpIsDialled() {
        // status.podIP alone is not read: upstream reads podIPs
        for (String ips : new String[]{"", "{\"ip\":\"127.0.0.1\"}", "{\"ip\":\"169.254.169.254\"}",
                "{\"ip\":\"::1\"}", "{\"ip\":\"fe80::1\"}", "{\"ip\":\"0.0.0.0\"}", "{\"ip\":\"224.0.0.1\"}",
                "{\"ip\":\"255.255.255.255\"}", "{\"ip\":\"localhost\"}", "{\"ip\":\"::ffff:127.0.0.1\"}"}) {
            assertThatThrownBy(() -> PodProxy.authority(pod("", ips), SchemeNamePort.parse("p", "pod"))).as(ips)
                    .isInstanceOf(StatusException.class).hasMessage("address not allowed");
        }
    }

    @Test
    void requestNamesParseAsUpstreamsSplitSchemeNamePort() {
        assertThat(SchemeNamePort.parse("https:web:8443", "service"))
                .isEqualTo(new SchemeNamePort("https", "web", "8443"));
        assertThat(SchemeNamePort.parse("web:", "service")).isEqualTo(new SchemeNamePort("", "web", ""));
        for (String bad : new String[]{":80", "ftp:web:80", "a:b:c:d", "http::80"}) {
            assertThatThrownBy(() -> SchemeNamePort.parse(bad, "service")).as(bad)
                    .hasMessage("invalid service request \"" + bad + "\"");
        }
    }
}
