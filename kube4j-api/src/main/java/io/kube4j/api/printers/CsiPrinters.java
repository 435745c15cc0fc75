package io.kube4j.api.printers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Printers of the storage.k8s.io/v1 CSI kinds, with upstream's columns and unset-value words. */
final class CsiPrinters {
    private CsiPrinters() {
    }

    static void register(Map<String, TablePrinter> into) {
        into.put("storage.k8s.io/CSINode", new KindPrinter(List.of(Columns.NAME,
                Columns.integer("Drivers", "drivers is a list of information of all CSI Drivers existing on a node. If all drivers in the list are uninstalled, this can become empty."),
                Columns.AGE),
                (o, now) -> List.of(Cells.name(o), (long) Cells.size(o, "spec", "drivers"), Cells.age(o, now))));
        into.put("storage.k8s.io/CSIDriver", new KindPrinter(List.of(Columns.NAME,
                Columns.bool("AttachRequired", "attachRequired indicates this CSI volume driver requires an attach operation (because it implements the CSI ControllerPublishVolume() method), and that the Kubernetes attach detach controller should call the attach volume interface which checks the volumeattachment status and waits until the volume is attached before proceeding to mounting."),
                Columns.bool("PodInfoOnMount", "podInfoOnMount indicates this CSI volume driver requires additional pod information (like podName, podUID, etc.) during mount operations, if set to true."),
                Columns.bool("StorageCapacity", "storageCapacity indicates that the CSI volume driver wants pod scheduling to consider the storage capacity that the driver deployment will report by creating CSIStorageCapacity objects with capacity information, if set to true."),
                Columns.str("TokenRequests", "tokenRequests indicates the CSI driver needs pods' service account tokens it is mounting volume for to do necessary authentication."),
                Columns.bool("RequiresRepublish", "requiresRepublish indicates the CSI driver wants `NodePublishVolume` being periodically called to reflect any possible change in the mounted volume."),
                Columns.str("Modes", "volumeLifecycleModes defines what kind of volumes this CSI volume driver supports."),
                Columns.AGE),
                (o, now) -> {
                    JsonNode spec = Cells.at(o, "spec");
                    // an unset flag prints as the value upstream's defaulting would give it
                    boolean attachRequired = !Cells.has(spec, "attachRequired") || Cells.bool(spec, "attachRequired");
                    String tokenRequests = "<unset>";
                    if (Cells.has(spec, "tokenRequests")) {
                        List<String> audiences = new ArrayList<>();
                        for (JsonNode t : Cells.list(spec, "tokenRequests")) {
                            audiences.add(Cells.str(t, "audience"));
                        }
                        tokenRequests = String.join(",", audiences);
                    }
                    List<String> modes = new ArrayList<>();
                    for (JsonNode mode : Cells.list(spec, "volumeLifecycleModes")) {
                        modes.add(mode.asString(""));
                    }
                    return List.of(Cells.name(o), attachRequired, Cells.bool(spec, "podInfoOnMount"),
                            Cells.bool(spec, "storageCapacity"), tokenRequests, Cells.bool(spec, "requiresRepublish"),
                            modes.isEmpty() ? "<none>" : String.join(",", modes), Cells.age(o, now));
                }));
        into.put("storage.k8s.io/CSIStorageCapacity", new KindPrinter(List.of(Columns.NAME,
                Columns.str("StorageClassName", "storageClassName represents the name of the StorageClass that the reported capacity applies to."),
                Columns.str("Capacity", "capacity is the value reported by the CSI driver in its GetCapacityResponse for a GetCapacityRequest with topology and parameters that match the previous fields.")),
                (o, now) -> List.of(Cells.name(o), Cells.str(o, "storageClassName"),
                        Cells.has(o, "capacity") ? Cells.scalar(Cells.at(o, "capacity")) : "<unset>")));
        into.put("storage.k8s.io/VolumeAttachment", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Attacher", "attacher indicates the name of the volume driver that MUST handle this request. This is the name returned by GetPluginName()."),
                Columns.str("PV", "persistentVolumeName represents the name of the persistent volume to attach."),
                Columns.str("Node", "nodeName represents the node that the volume should be attached to."),
                Columns.bool("Attached", "attached indicates the volume is successfully attached. This field must only be set by the entity completing the attach operation, i.e. the external-attacher."),
                Columns.AGE),
                (o, now) -> List.of(Cells.name(o), Cells.str(o, "spec", "attacher"),
                        Cells.str(o, "spec", "source", "persistentVolumeName"), Cells.str(o, "spec", "nodeName"),
                        Cells.bool(o, "status", "attached"), Cells.age(o, now))));
    }
}
