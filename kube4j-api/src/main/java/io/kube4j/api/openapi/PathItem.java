package io.kube4j.api.openapi;

import java.util.List;

/** A URL path with the parameters shared by its operations. */
record PathItem(String path, List<Parameter> parameters, List<Operation> operations) {
}
