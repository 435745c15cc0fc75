package io.kube4j.api.apply;

import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusDetails;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The outcome of a server-side apply: the object to store (with its managedFields), or the conflicts that stopped
 * it. {@code object} is null exactly when there are conflicts.
 */
public record ApplyResult(ObjectNode object, List<Conflict> conflicts) {

    /** The Status cause type upstream gives each conflict. */
    public static final String CAUSE_TYPE = "FieldManagerConflict";

    public ApplyResult {
        conflicts = List.copyOf(conflicts);
    }

    public boolean hasConflicts() {
        return !conflicts.isEmpty();
    }

    /**
     * Upstream's message: {@code Apply failed with 1 conflict: conflict with "m" using v1: .spec.x}, or for several
     * the conflicts grouped by owner (owners sorted), one {@code - path} line each.
     */
    public String message() {
        if (conflicts.isEmpty()) {
            return "";
        }
        if (conflicts.size() == 1) {
            Conflict c = conflicts.get(0);
            return "Apply failed with 1 conflict: conflict with " + c.owner() + ": " + c.field();
        }
        Map<String, List<Conflict>> byOwner = new LinkedHashMap<>();
        for (Conflict c : conflicts) {
            byOwner.computeIfAbsent(c.owner(), k -> new ArrayList<>()).add(c);
        }
        List<String> owners = new ArrayList<>(byOwner.keySet());
        owners.sort(null);
        List<String> lines = new ArrayList<>();
        for (String owner : owners) {
            lines.add("conflicts with " + owner + ":");
            for (Conflict c : byOwner.get(owner)) {
                lines.add("- " + c.field());
            }
        }
        return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
    }

    /** The Status causes: type {@code FieldManagerConflict}, message {@code conflict with "m"}, the field path. */
    public List<StatusCause> causes() {
        List<StatusCause> out = new ArrayList<>();
        for (Conflict c : conflicts) {
            out.add(new StatusCause(CAUSE_TYPE, c.causeMessage(), c.field()));
        }
        return out;
    }

    /** The 409 Conflict upstream answers (errors.NewApplyConflict). */
    public StatusException toStatusException() {
        return new StatusException(StatusReason.CONFLICT, message(),
                new StatusDetails(null, null, null, null, causes(), 0));
    }
}
