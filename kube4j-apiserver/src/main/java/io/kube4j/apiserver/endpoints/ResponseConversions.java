package io.kube4j.apiserver.endpoints;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The conversion a resource request's Accept header asks of its answer (a meta.k8s.io Table, PartialObjectMetadata or
 * PartialObjectMetadataList), refused with upstream's 406 where its transformation refuses it: the generic resource
 * handler's, and that of the APIs whose objects are computed on each request (metrics.k8s.io, componentstatuses),
 * which upstream serves through the same handlers.
 */
public final class ResponseConversions {

    private ResponseConversions() {
    }

    /**
     * The conversion a list is answered in (null: as it is): a Table or a PartialObjectMetadataList. A list asked for as
     * a single PartialObjectMetadata is refused as upstream's asPartialObjectMetadata refuses it (406), naming the Go
     * type of the list ({@link #goType}).
     */
    public static MediaTypes.Conversion forList(ApiRequest request, String goType) {
        MediaTypes.Conversion conversion = negotiated(request);
        if (conversion != null && conversion.isPartialObjectMetadata()) {
            throw notAcceptable("you requested PartialObjectMetadata, but the requested object is a list (" + goType
                    + ")");
        }
        return conversion;
    }

    /**
     * The conversion an object is answered in (null: as it is): a Table or a PartialObjectMetadata. An object asked for
     * as a PartialObjectMetadataList is refused as upstream's asPartialObjectMetadataList refuses it (406).
     */
    public static MediaTypes.Conversion forObject(ApiRequest request, String goType) {
        MediaTypes.Conversion conversion = negotiated(request);
        if (conversion != null && conversion.isPartialObjectMetadataList()) {
            throw notAcceptable("you requested PartialObjectMetadataList, but the requested object is not a list ("
                    + goType + ")");
        }
        return conversion;
    }

    /** The negotiated conversion, its options checked first as upstream's optionsForTransform checks a Table's. */
    private static MediaTypes.Conversion negotiated(ApiRequest request) {
        MediaTypes.Conversion conversion = MediaTypes.resourceConversion(request.header("accept"));
        if (conversion != null && conversion.isTable()) {
            Tables.checkIncludeObject(request.param("includeObject"));
        }
        return conversion;
    }

    /**
     * The Go type upstream's 406 names ({@code %T} of the object it was converting): a custom resource's is
     * unstructured, a built-in one's its internal type (package core for the core group, else the group's first
     * label: *core.Pod, *apps.DeploymentList, *metrics.NodeMetricsList).
     */
    public static String goType(ResourceType type, boolean list, boolean custom) {
        String kind = custom ? "Unstructured" : type.kind();
        String pkg = custom ? "unstructured" : type.group().isEmpty() ? "core"
                : type.group().substring(0, (type.group() + ".").indexOf('.'));
        return "*" + pkg + "." + kind + (list ? "List" : "");
    }

    /** An object computed for this request as the PartialObjectMetadata {@code conversion} asked for. */
    public static ObjectNode partialObjectMetadata(ObjectNode object, MediaTypes.Conversion conversion) {
        return PartialObjectMetadata.of(object, conversion.apiVersion());
    }

    /**
     * A list computed for this request as the PartialObjectMetadataList {@code conversion} asked for: its list
     * metadata kept, each item a PartialObjectMetadata with kind and apiVersion, as upstream's
     * asPartialObjectMetadataList makes it.
     */
    public static ObjectNode partialObjectMetadataList(ObjectNode list, MediaTypes.Conversion conversion) {
        ObjectNode out = Json.object();
        out.put("kind", PartialObjectMetadata.KIND + "List");
        out.put("apiVersion", conversion.apiVersion());
        out.set("metadata", list.path("metadata").isObject() ? list.path("metadata").deepCopy() : Json.object());
        ArrayNode items = out.putArray("items");
        for (JsonNode item : list.path("items")) {
            items.add(PartialObjectMetadata.of((ObjectNode) item, conversion.apiVersion()));
        }
        return out;
    }

    private static StatusException notAcceptable(String message) {
        return new StatusException(StatusReason.NOT_ACCEPTABLE, message, null);
    }
}
