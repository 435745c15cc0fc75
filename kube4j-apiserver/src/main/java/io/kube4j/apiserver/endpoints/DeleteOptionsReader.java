package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.DeleteOptions;
import tools.jackson.databind.node.ObjectNode;

/**
 * The options of a delete or deletecollection request, read as upstream's delete handlers read them: the request's
 * DeleteOptions body when it has one - in whatever format a body comes in (kubectl sends JSON, client-go's typed
 * clients protobuf) - and only without a body the query. A body whose values Go could not decode is a 400 in Go's
 * words (upstream answers that with a 500).
 */
final class DeleteOptionsReader {

    private DeleteOptionsReader() {
    }

    static DeleteOptions read(ApiRequest request) {
        if (request.body().length == 0) {
            return DeleteOptions.fromQuery(request.query());
        }
        ObjectNode body = ResourceHandler.objectBody(request);
        String kind = Json.text(body, "kind");
        if (kind != null && !kind.isEmpty() && !kind.equals("DeleteOptions")) {
            throw StatusException.badRequest("decoded object cannot be converted to DeleteOptions");
        }
        // DeleteOptions is registered in every group version; the core one's schema is the same as any other's
        FieldTypes.Mismatch mismatch = FieldTypes.find("", "v1", "DeleteOptions", body);
        if (mismatch != null) {
            throw StatusException.badRequest(mismatch.goMessage());
        }
        return DeleteOptions.fromJson(body);
    }
}
