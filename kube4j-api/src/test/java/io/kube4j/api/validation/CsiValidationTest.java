package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.json;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class CsiValidationTest {
    private static final String STORAGE = "storage.k8s.io";

    private static List<String> create(String kind, String text) {
        return messages(Validators.forKind(STORAGE, kind).validateCreate(defaulted(STORAGE, kind, text)));
    }

    private static List<String> update(String kind, String now, String old) {
        return messages(Validators.forKind(STORAGE, kind).validateUpdate(defaulted(STORAGE, kind, now),
                defaulted(STORAGE, kind, old)));
    }

    @Test
    void aCsiDriverIsDefaultedIntoAValidOne() {
        ObjectNode driver = defaulted(STORAGE, "CSIDriver", "{'metadata':{'name':'hostpath.csi.k8s.io'}}");
        assertThat(driver.get("spec").toString()).isEqualTo("{\"attachRequired\":true,\"podInfoOnMount\":false,"
                + "\"storageCapacity\":false,\"fsGroupPolicy\":\"ReadWriteOnceWithFSType\","
                + "\"volumeLifecycleModes\":[\"Persistent\"],\"requiresRepublish\":false,\"seLinuxMount\":false}");
        assertThat(messages(Validators.forKind(STORAGE, "CSIDriver").validateCreate(driver))).isEmpty();
        // without the defaults, upstream's required flags (its path keeps the "attachedRequired" spelling)
        assertThat(messages(Validators.forKind(STORAGE, "CSIDriver").validateCreate(json("{'metadata':{'name':'d'},'spec':{}}"))))
                .containsExactly("spec.attachedRequired: Required value", "spec.podInfoOnMount: Required value",
                        "spec.storageCapacity: Required value", "spec.seLinuxMount: Required value");
    }

    @Test
    void csiDriverEnumsAndTokenRequests() {
        assertThat(create("CSIDriver", "{'metadata':{'name':'d'},'spec':{'fsGroupPolicy':'Sometimes',"
                + "'volumeLifecycleModes':['Forever'],'tokenRequests':[{'audience':'a','expirationSeconds':60},{'audience':'a'}]}}"))
                .containsExactly("spec.fsGroupPolicy: Unsupported value: \"Sometimes\": supported values: \"File\", \"None\", "
                                + "\"ReadWriteOnceWithFSType\"",
                        "spec.tokenRequests[0].expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes",
                        "spec.tokenRequests[1].audience: Duplicate value: \"a\"",
                        "spec.volumeLifecycleModes: Unsupported value: \"Forever\": supported values: \"Persistent\", \"Ephemeral\"");
    }

    @Test
    void csiDriverKeepsAttachRequiredAndModesButMayChangeTheRest() {
        String old = "{'metadata':{'name':'d','resourceVersion':'1'},'spec':{'attachRequired':true}}";
        assertThat(update("CSIDriver", "{'metadata':{'name':'d','resourceVersion':'2'},'spec':{'attachRequired':false}}", old))
                .containsExactly("spec.attachedRequired: Invalid value: false: field is immutable");
        assertThat(update("CSIDriver", "{'metadata':{'name':'d','resourceVersion':'2'},'spec':{'attachRequired':true,"
                + "'podInfoOnMount':true,'requiresRepublish':true}}", old)).isEmpty();
    }

    @Test
    void csiNodeDrivers() {
        assertThat(create("CSINode", "{'metadata':{'name':'node-1'},'spec':{'drivers':[{'name':'d.example.com','nodeID':'n1',"
                + "'topologyKeys':['topology.example.com/zone'],'allocatable':{'count':10}}]}}")).isEmpty();
        assertThat(create("CSINode", "{'metadata':{'name':'node-1'},'spec':{'drivers':[{'name':'d','nodeID':''},"
                + "{'name':'d','nodeID':'" + "x".repeat(193) + "','topologyKeys':['k','k'],'allocatable':{'count':-1}}]}}"))
                .containsExactly("spec.drivers[0].nodeID: Required value",
                        "spec.drivers[1].nodeID: Invalid value: \"" + "x".repeat(193) + "\": must be 192 characters or less",
                        "spec.drivers[1].allocatable.count: Invalid value: -1: must be greater than or equal to 0",
                        "spec.drivers[1].name: Duplicate value: \"d\"",
                        "spec.drivers[1]: Duplicate value: \"k\"");
        String old = "{'metadata':{'name':'n','resourceVersion':'1'},'spec':{'drivers':[{'name':'d','nodeID':'n1'}]}}";
        assertThat(update("CSINode", "{'metadata':{'name':'n','resourceVersion':'2'},'spec':{'drivers':[{'name':'d','nodeID':'n2'}]}}", old))
                .singleElement().asString().startsWith("spec.drivers: Invalid value:").endsWith("field is immutable");
        assertThat(update("CSINode", "{'metadata':{'name':'n','resourceVersion':'2'},'spec':{'drivers':[{'name':'d','nodeID':'n1'},"
                + "{'name':'e','nodeID':'n1'}]}}", old)).isEmpty();
    }

    @Test
    void csiStorageCapacity() {
        assertThat(create("CSIStorageCapacity", "{'metadata':{'name':'c','namespace':'kube-system'},'storageClassName':'fast',"
                + "'capacity':'10Gi','nodeTopology':{'matchLabels':{'zone':'a'}}}")).isEmpty();
        assertThat(create("CSIStorageCapacity", "{'metadata':{'name':'c','namespace':'kube-system'},'storageClassName':'Fast',"
                + "'capacity':'-1Gi'}")).hasSize(2)
                .anySatisfy(m -> assertThat(m).startsWith("storageClassName: Invalid value: \"Fast\""))
                .contains("capacity: Invalid value: \"-1Gi\": must be greater than or equal to 0");
        assertThat(create("CSIStorageCapacity", "{'metadata':{'name':'c'},'storageClassName':'fast'}"))
                .containsExactly("metadata.namespace: Required value");
        String old = "{'metadata':{'name':'c','namespace':'n','resourceVersion':'1'},'storageClassName':'fast','capacity':'1Gi'}";
        assertThat(update("CSIStorageCapacity", "{'metadata':{'name':'c','namespace':'n','resourceVersion':'2'},"
                + "'storageClassName':'fast','capacity':'2Gi'}", old)).isEmpty();
        assertThat(update("CSIStorageCapacity", "{'metadata':{'name':'c','namespace':'n','resourceVersion':'2'},"
                + "'storageClassName':'slow','capacity':'1Gi'}", old))
                .containsExactly("storageClassName: Invalid value: \"slow\": field is immutable");
    }

    @Test
    void volumeAttachment() {
        assertThat(create("VolumeAttachment", "{'metadata':{'name':'va'},'spec':{'attacher':'d.example.com',"
                + "'nodeName':'node-1','source':{'persistentVolumeName':'pv-1'}}}")).isEmpty();
        // an empty attacher is reported by the common rules and again by v1's driver-name rules, as upstream does
        assertThat(create("VolumeAttachment", "{'metadata':{'name':'va'},'spec':{'nodeName':'node-1','source':{}}}"))
                .hasSize(4).startsWith("spec.attacher: Required value",
                        "spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName",
                        "spec.attacher: Required value")
                .last().asString().startsWith("spec.attacher: Invalid value: \"\": a lowercase RFC 1123 subdomain");
        assertThat(create("VolumeAttachment", "{'metadata':{'name':'va'},'spec':{'attacher':'" + "d".repeat(64)
                + "','nodeName':'n','source':{'persistentVolumeName':'pv'}}}"))
                .containsExactly("spec.attacher: Too long: may not be more than 63 bytes");
        assertThat(create("VolumeAttachment", "{'metadata':{'name':'va'},'spec':{'attacher':'d','nodeName':'n',"
                + "'source':{'persistentVolumeName':'pv','inlineVolumeSpec':{}}}}"))
                .containsExactly("spec.source: Forbidden: must specify exactly one of inlineVolumeSpec and persistentVolumeName");
        assertThat(create("VolumeAttachment", "{'metadata':{'name':'va'},'spec':{'attacher':'d','nodeName':'n',"
                + "'source':{'inlineVolumeSpec':{'accessModes':['ReadWriteOnce'],'capacity':{'storage':'1Gi'}}}}}"))
                .containsExactly("spec.source.inlineVolumeSpec.capacity: Forbidden: may not be specified in the context of inline volumes",
                        "spec.source.inlineVolumeSpec.csi: Required value: has to be specified in the context of inline volumes");
        assertThat(create("VolumeAttachment", "{'metadata':{'name':'va'},'spec':{'attacher':'d','nodeName':'n',"
                + "'source':{'persistentVolumeName':'pv'}},'status':{'attached':false,'attachError':{'errorCode':-1}}}"))
                .containsExactly("status.attachError.errorCode: Invalid value: -1: must be between 0 and 2147483647, inclusive");
        String old = "{'metadata':{'name':'va','resourceVersion':'1'},'spec':{'attacher':'d','nodeName':'n',"
                + "'source':{'persistentVolumeName':'pv'}}}";
        assertThat(update("VolumeAttachment", "{'metadata':{'name':'va','resourceVersion':'2'},'spec':{'attacher':'d',"
                + "'nodeName':'m','source':{'persistentVolumeName':'pv'}}}", old))
                .singleElement().asString().startsWith("spec: Invalid value:").endsWith("field is immutable");
    }
}
