package io.kube4j.api.validation;

import java.util.ArrayList;
import java.util.List;

/** Names that only have to be usable as one URL path segment (RBAC objects), as upstream's {@code path.IsValidPathSegmentName}. */
final class PathSegments {
    private PathSegments() {
    }

    static List<String> isValidPathSegmentName(String name, boolean prefix) {
        List<String> errs = new ArrayList<>();
        if (!prefix && (name.equals(".") || name.equals(".."))) {
            errs.add("may not be '" + name + "'");
        }
        if (name.contains("/")) {
            errs.add("may not contain '/'");
        }
        if (name.contains("%")) {
            errs.add("may not contain '%'");
        }
        return errs;
    }
}
