package io.kube4j.api.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class PodPrinterTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private final TablePrinter pods = TablePrinters.forKind("", "Pod");

    private List<Object> row(String status, String extraSpec) {
        String text = "{'metadata':{'name':'p','creationTimestamp':'2024-05-01T11:00:00Z'},"
                + "'spec':{'containers':[{'name':'a','image':'x'},{'name':'b','image':'y'}]" + extraSpec + "},'status':" + status + "}";
        return pods.cells((ObjectNode) MAPPER.readTree(text.replace('\'', '"')), NOW);
    }

    @Test
    void columnsAsKubectl() {
        assertThat(pods.columns()).extracting(Column::name)
                .containsExactly("Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates");
        assertThat(pods.columns()).extracting(Column::priority).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1);
        assertThat(pods.columns().get(0).format()).isEqualTo("name");
    }

    @Test
    void pendingPod() {
        assertThat(row("{'phase':'Pending'}", "")).containsExactly("p", "0/2", "Pending", "0", "60m", "<none>", "<none>", "<none>", "<none>");
    }

    @Test
    void runningReadyPod() {
        String status = "{'phase':'Running','podIPs':[{'ip':'10.1.0.5'}],'conditions':[{'type':'Ready','status':'True'}],"
                + "'containerStatuses':[{'name':'a','ready':true,'restartCount':0,'state':{'running':{}}},"
                + "{'name':'b','ready':true,'restartCount':2,'state':{'running':{}},'lastState':{'terminated':{'finishedAt':'2024-05-01T11:58:00Z'}}}]}";
        assertThat(row(status, ",'nodeName':'n1'")).containsExactly("p", "2/2", "Running", "2 (2m ago)", "60m", "10.1.0.5", "n1", "<none>", "<none>");
    }

    @Test
    void crashLoopBackOffWins() {
        String status = "{'phase':'Running','containerStatuses':[{'name':'a','ready':false,'restartCount':5,"
                + "'state':{'waiting':{'reason':'CrashLoopBackOff'}}},{'name':'b','ready':true,'state':{'running':{}}}]}";
        assertThat(row(status, "").subList(1, 4)).containsExactly("1/2", "CrashLoopBackOff", "5");
    }

    @Test
    void completedAndExitCodes() {
        String completed = "{'phase':'Succeeded','containerStatuses':[{'name':'a','state':{'terminated':{'exitCode':0,'reason':'Completed'}}},"
                + "{'name':'b','state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}";
        assertThat(row(completed, "").get(2)).isEqualTo("Completed");
        String exit = "{'phase':'Failed','containerStatuses':[{'name':'a','state':{'terminated':{'exitCode':3}}}]}";
        assertThat(row(exit, "").get(2)).isEqualTo("ExitCode:3");
        String signal = "{'phase':'Failed','containerStatuses':[{'name':'a','state':{'terminated':{'exitCode':137,'signal':9}}}]}";
        assertThat(row(signal, "").get(2)).isEqualTo("Signal:9");
    }

    @Test
    void completedWithARunningContainerIsNotReadyOrRunning() {
        String status = "{'phase':'Running','containerStatuses':[{'name':'a','ready':true,'state':{'running':{}}},"
                + "{'name':'b','state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}";
        assertThat(row(status, "").get(2)).isEqualTo("NotReady");
    }

    @Test
    void initContainers() {
        String spec = ",'initContainers':[{'name':'i1','image':'x'},{'name':'i2','image':'x'}]";
        String first = "{'phase':'Pending','initContainerStatuses':[{'name':'i1','state':{'terminated':{'exitCode':0}}},"
                + "{'name':'i2','state':{'running':{}}}]}";
        assertThat(row(first, spec).get(2)).isEqualTo("Init:1/2");
        String failed = "{'phase':'Pending','initContainerStatuses':[{'name':'i1','state':{'terminated':{'exitCode':1,'reason':'Error'}}}]}";
        assertThat(row(failed, spec).get(2)).isEqualTo("Init:Error");
        String backoff = "{'phase':'Pending','initContainerStatuses':[{'name':'i1','restartCount':3,'state':{'waiting':{'reason':'CrashLoopBackOff'}}}]}";
        assertThat(row(backoff, spec).subList(2, 4)).containsExactly("Init:CrashLoopBackOff", "3");
    }

    @Test
    void sidecarsCountAsContainers() {
        String spec = ",'initContainers':[{'name':'side','image':'x','restartPolicy':'Always'}]";
        String status = "{'phase':'Running','conditions':[{'type':'Initialized','status':'True'}],"
                + "'initContainerStatuses':[{'name':'side','started':true,'ready':true,'state':{'running':{}}}],"
                + "'containerStatuses':[{'name':'a','ready':true,'state':{'running':{}}},{'name':'b','ready':true,'state':{'running':{}}}]}";
        assertThat(row(status, spec).subList(1, 3)).containsExactly("3/3", "Running");
    }

    @Test
    void terminatingAndReasons() {
        String text = "{'metadata':{'name':'p','creationTimestamp':'2024-05-01T11:00:00Z','deletionTimestamp':'2024-05-01T12:00:00Z'},"
                + "'spec':{'containers':[{'name':'a','image':'x'}]},'status':{'phase':'Running'}}";
        assertThat(pods.cells((ObjectNode) MAPPER.readTree(text.replace('\'', '"')), NOW).get(2)).isEqualTo("Terminating");
        assertThat(row("{'phase':'Failed','reason':'Evicted'}", "").get(2)).isEqualTo("Evicted");
        assertThat(row("{'phase':'Pending','conditions':[{'type':'PodScheduled','status':'False','reason':'SchedulingGated'}]}", "").get(2))
                .isEqualTo("SchedulingGated");
    }

    @Test
    void readinessGates() {
        String status = "{'phase':'Running','conditions':[{'type':'example.com/ready','status':'True'}]}";
        assertThat(row(status, ",'readinessGates':[{'conditionType':'example.com/ready'},{'conditionType':'example.com/other'}]").get(8))
                .isEqualTo("1/2");
    }
}
