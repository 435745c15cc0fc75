package io.kube4j.api.printers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The columns of the CSI kinds, RuntimeClass and ComponentStatus, as upstream's printers.go. */
class NewKindPrintersTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final String META = "'metadata':{'name':'x','creationTimestamp':'2024-04-28T09:00:00Z'}";

    private static List<Object> cells(String group, String kind, String text) {
        return TablePrinters.forKind(group, kind).cells((ObjectNode) MAPPER.readTree(text.replace('\'', '"')), NOW);
    }

    private static List<String> names(String group, String kind) {
        return TablePrinters.forKind(group, kind).columns().stream().map(Column::name).toList();
    }

    @Test
    void csiDriver() {
        assertThat(names("storage.k8s.io", "CSIDriver")).containsExactly("Name", "AttachRequired", "PodInfoOnMount",
                "StorageCapacity", "TokenRequests", "RequiresRepublish", "Modes", "Age");
        assertThat(cells("storage.k8s.io", "CSIDriver", "{" + META + ",'spec':{}}"))
                .containsExactly("x", true, false, false, "<unset>", false, "<none>", "3d3h");
        assertThat(cells("storage.k8s.io", "CSIDriver", "{" + META + ",'spec':{'attachRequired':false,'podInfoOnMount':true,"
                + "'tokenRequests':[{'audience':'a'},{'audience':'b'}],'volumeLifecycleModes':['Persistent','Ephemeral']}}"))
                .containsExactly("x", false, true, false, "a,b", false, "Persistent,Ephemeral", "3d3h");
    }

    @Test
    void csiNodeCapacityAndAttachment() {
        assertThat(names("storage.k8s.io", "CSINode")).containsExactly("Name", "Drivers", "Age");
        assertThat(cells("storage.k8s.io", "CSINode", "{" + META + ",'spec':{'drivers':[{'name':'a'},{'name':'b'}]}}"))
                .containsExactly("x", 2L, "3d3h");
        assertThat(names("storage.k8s.io", "CSIStorageCapacity")).containsExactly("Name", "StorageClassName", "Capacity");
        assertThat(cells("storage.k8s.io", "CSIStorageCapacity", "{" + META + ",'storageClassName':'fast'}"))
                .containsExactly("x", "fast", "<unset>");
        assertThat(cells("storage.k8s.io", "CSIStorageCapacity", "{" + META + ",'storageClassName':'fast','capacity':'10Gi'}"))
                .containsExactly("x", "fast", "10Gi");
        assertThat(names("storage.k8s.io", "VolumeAttachment")).containsExactly("Name", "Attacher", "PV", "Node", "Attached", "Age");
        assertThat(cells("storage.k8s.io", "VolumeAttachment", "{" + META + ",'spec':{'attacher':'d','nodeName':'n1',"
                + "'source':{'persistentVolumeName':'pv1'}},'status':{'attached':true}}"))
                .containsExactly("x", "d", "pv1", "n1", true, "3d3h");
    }

    @Test
    void runtimeClass() {
        assertThat(names("node.k8s.io", "RuntimeClass")).containsExactly("Name", "Handler", "Age");
        assertThat(cells("node.k8s.io", "RuntimeClass", "{" + META + ",'handler':'runc'}")).containsExactly("x", "runc", "3d3h");
    }

    @Test
    void componentStatusIsHealthyOnlyWhenTrue() {
        assertThat(names("", "ComponentStatus")).containsExactly("Name", "Status", "Message", "Error");
        assertThat(cells("", "ComponentStatus", "{'metadata':{'name':'etcd-0'},'conditions':[{'type':'Healthy','status':'True',"
                + "'message':'ok'}]}")).containsExactly("etcd-0", "Healthy", "ok", "");
        assertThat(cells("", "ComponentStatus", "{'metadata':{'name':'scheduler'},'conditions':[{'type':'Healthy',"
                + "'status':'Unknown','error':'no lease'}]}")).containsExactly("scheduler", "Unhealthy", "", "no lease");
        assertThat(cells("", "ComponentStatus", "{'metadata':{'name':'scheduler'}}"))
                .containsExactly("scheduler", "Unknown", "", "");
    }
}
