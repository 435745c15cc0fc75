package io.kube4j.apiserver.flowcontrol;

import io.kube4j.api.defaults.Defaults;
import io.kube4j.api.printers.TablePrinter;
import io.kube4j.api.printers.TablePrinters;
import io.kube4j.api.validation.Validators;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Upstream's mandatory and suggested flow-control objects pass kube4j-api's validation, defaults and columns. */
class BootstrapConfigurationTest {

    private static final String GROUP = FlowControlResources.GROUP;
    private static final String FLOW_SCHEMA = "FlowSchema";
    private static final String PRIORITY_LEVEL = "PriorityLevelConfiguration";

    @Test
    void everyBootstrapObjectIsValid() {
        for (ObjectNode obj : BootstrapConfiguration.mandatoryFlowSchemas()) {
            assertThat(Validators.forKind(GROUP, FLOW_SCHEMA).validateCreate(obj)).as(obj.toString()).isEmpty();
        }
        for (ObjectNode obj : BootstrapConfiguration.suggestedFlowSchemas()) {
            assertThat(Validators.forKind(GROUP, FLOW_SCHEMA).validateCreate(obj)).as(obj.toString()).isEmpty();
        }
        for (ObjectNode obj : BootstrapConfiguration.mandatoryPriorityLevels()) {
            assertThat(Validators.forKind(GROUP, PRIORITY_LEVEL).validateCreate(obj)).as(obj.toString()).isEmpty();
        }
        for (ObjectNode obj : BootstrapConfiguration.suggestedPriorityLevels()) {
            assertThat(Validators.forKind(GROUP, PRIORITY_LEVEL).validateCreate(obj)).as(obj.toString()).isEmpty();
        }
    }

    @Test
    void bootstrapObjectsAlreadyCarryTheDefaults() {
        for (ObjectNode obj : BootstrapConfiguration.suggestedPriorityLevels()) {
            ObjectNode defaulted = obj.deepCopy();
            Defaults.apply(GROUP, PRIORITY_LEVEL, defaulted);
            assertThat(defaulted).isEqualTo(obj);
        }
    }

    @Test
    void tablesPrintUpstreamColumns() {
        TablePrinter flowSchemas = TablePrinters.forKind(GROUP, FLOW_SCHEMA);
        TablePrinter priorityLevels = TablePrinters.forKind(GROUP, PRIORITY_LEVEL);
        assertThat(flowSchemas.columns()).extracting(c -> c.name()).containsExactly("Name",
                "PriorityLevel", "MatchingPrecedence", "DistinguisherMethod", "Age", "MissingPL");
        assertThat(priorityLevels.columns()).extracting(c -> c.name()).containsExactly("Name",
                "Type", "NominalConcurrencyShares", "Queues", "HandSize", "QueueLengthLimit", "Age");
        ObjectNode exempt = BootstrapConfiguration.mandatoryPriorityLevels().get(0);
        assertThat(priorityLevels.cells(exempt, java.time.Instant.now()).subList(0, 6))
                .containsExactly("exempt", "Exempt", "<none>", "<none>", "<none>", "<none>");
        ObjectNode probes = BootstrapConfiguration.suggestedFlowSchemas().get(2);
        assertThat(flowSchemas.cells(probes, java.time.Instant.now()))
                .containsExactly("probes", "exempt", 2L, "<none>", "<unknown>", "?");
    }
}
