package io.kube4j.api.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The APIService table: upstream's kube-aggregator columns and cells. */
class ApiServicePrinterTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final String META =
            "'metadata':{'name':'v1beta1.metrics.k8s.io','creationTimestamp':'2024-05-01T11:00:00Z'}";

    private static List<Object> cells(String text) {
        return TablePrinters.forKind("apiregistration.k8s.io", "APIService")
                .cells((ObjectNode) MAPPER.readTree(text.replace('\'', '"')), NOW);
    }

    @Test
    void columnsAreUpstreams() {
        assertThat(TablePrinters.forKind("apiregistration.k8s.io", "APIService").columns().stream().map(Column::name))
                .containsExactly("Name", "Service", "Available", "Age");
    }

    @Test
    void localAvailableService() {
        assertThat(cells("{" + META + ",'spec':{},'status':{'conditions':[{'type':'Available','status':'True',"
                + "'reason':'Local'}]}}")).containsExactly("v1beta1.metrics.k8s.io", "Local", "True", "60m");
    }

    @Test
    void unavailableServiceShowsTheReason() {
        assertThat(cells("{" + META + ",'spec':{'service':{'namespace':'kube-system','name':'metrics-server'}},"
                + "'status':{'conditions':[{'type':'Other','status':'True'},{'type':'Available','status':'False',"
                + "'reason':'MissingEndpoints'}]}}"))
                .containsExactly("v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False (MissingEndpoints)",
                        "60m");
    }

    @Test
    void noConditionYetIsUnknown() {
        assertThat(cells("{" + META + ",'spec':{}}")).element(2).isEqualTo("Unknown");
        assertThat(cells("{" + META + ",'spec':{},'status':{'conditions':[{'type':'Available','status':'False'}]}}"))
                .element(2).isEqualTo("False");
    }
}
