package io.kube4j.apiserver.registry;

import io.kube4j.api.selector.FieldSelector;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;

/** The query parameters of list and watch, parsed and checked. */
public record ListOptions(LabelSelector labelSelector, FieldSelector fieldSelector, long limit, String continueToken,
                          String resourceVersion, String resourceVersionMatch, boolean allowWatchBookmarks,
                          Long timeoutSeconds, Boolean sendInitialEvents) {

    public static ListOptions from(ApiRequest request) {
        LabelSelector labels;
        FieldSelector fields;
        try {
            String l = request.param("labelSelector");
            labels = l == null || l.isBlank() ? LabelSelector.everything() : LabelSelector.parse(l);
        } catch (IllegalArgumentException e) {
            // the parser's message is upstream's whole message (requirement errors already say "unable to parse
            // requirement: "): prefixing it again doubled that
            throw StatusException.badRequest(e.getMessage());
        }
        try {
            String f = request.param("fieldSelector");
            fields = f == null || f.isBlank() ? FieldSelector.everything() : FieldSelector.parse(f);
        } catch (IllegalArgumentException e) {
            throw StatusException.badRequest("invalid field selector: " + e.getMessage());
        }
        long limit = parseLong(request.param("limit"), "limit");
        Long timeout = request.param("timeoutSeconds") == null ? null : parseLong(request.param("timeoutSeconds"),
                "timeoutSeconds");
        String sendInitial = request.param("sendInitialEvents");
        String rv = emptyToNull(request.param("resourceVersion"));
        String rvMatch = emptyToNull(request.param("resourceVersionMatch"));
        if (rv != null && !rv.equals("0")) {
            parseRevision(rv);
        }
        if (rvMatch != null && !rvMatch.equals("NotOlderThan") && !rvMatch.equals("Exact")) {
            throw StatusException.badRequest("resourceVersionMatch: Unsupported value: \"" + rvMatch
                    + "\": supported values: \"Exact\", \"NotOlderThan\"");
        }
        if (rvMatch != null && rv == null && sendInitial == null) {
            throw StatusException.badRequest("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden "
                    + "unless resourceVersion is provided");
        }
        String token = emptyToNull(request.param("continue"));
        if (token != null && rv != null && !rv.equals("0")) {
            throw StatusException.badRequest("specifying resource version is not allowed when using continue");
        }
        return new ListOptions(labels, fields, limit, token, rv, rvMatch, request.booleanParam("allowWatchBookmarks"),
                timeout, sendInitial == null ? null : Boolean.valueOf(sendInitial.equals("1")
                || sendInitial.equalsIgnoreCase("true")));
    }

    public static ListOptions everything() {
        return new ListOptions(LabelSelector.everything(), FieldSelector.everything(), 0, null, null, null, false,
                null, null);
    }

    public static long parseRevision(String rv) {
        try {
            long value = Long.parseLong(rv);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw StatusException.badRequest("invalid resource version: " + rv);
        }
    }

    private static long parseLong(String value, String name) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw StatusException.badRequest("invalid " + name + ": " + value);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
