package io.kube4j.api.apply;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * Who owns a managedFields entry (upstream's manager identifier): the manager name, the operation, the API version
 * for updaters (appliers keep one identity across versions) and the subresource. Two entries with one identity are
 * one owner.
 */
record ManagerId(String manager, String operation, String apiVersion, String subresource) {

    static final String APPLY = "Apply";
    static final String UPDATE = "Update";

    ManagerId {
        manager = manager == null ? "" : manager;
        apiVersion = apiVersion == null || APPLY.equals(operation) ? "" : apiVersion;
        subresource = subresource == null ? "" : subresource;
    }

    /**
     * Written out: owners are map keys looked up many times per write, and the record's generated equals/hashCode
     * (method-handle combinators) took 8 % of a configmap update's CPU in a profile.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ManagerId m && manager.equals(m.manager) && Objects.equals(operation, m.operation)
                && apiVersion.equals(m.apiVersion) && subresource.equals(m.subresource);
    }

    @Override
    public int hashCode() {
        return ((manager.hashCode() * 31 + Objects.hashCode(operation)) * 31 + apiVersion.hashCode()) * 31
                + subresource.hashCode();
    }

    static ManagerId of(ManagedFieldsEntry e) {
        return new ManagerId(e.manager(), e.operation(), e.apiVersion(), e.subresource());
    }

    /** The identifier as upstream encodes it, which is also the order upstream sorts owners in. */
    String json() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("manager", manager);
        n.put("operation", operation);
        if (!apiVersion.isEmpty()) {
            n.put("apiVersion", apiVersion);
        }
        if (!subresource.isEmpty()) {
            n.put("subresource", subresource);
        }
        return n.toString();
    }

    /** The owner as conflict messages name it, e.g. {@code "kubectl" using apps/v1}. */
    String describe() {
        StringBuilder sb = new StringBuilder(quote(manager));
        if (!subresource.isEmpty()) {
            sb.append(" with subresource ").append(quote(subresource));
        }
        if (UPDATE.equals(operation)) {
            sb.append(" using ").append(apiVersion);
        }
        return sb.toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
