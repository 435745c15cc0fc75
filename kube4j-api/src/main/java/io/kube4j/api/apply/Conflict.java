package io.kube4j.api.apply;

/**
 * One field an apply would change although another manager owns it.
 *
 * @param field the path as upstream prints it, e.g. {@code .spec.replicas}
 * @param manager the owning manager's name
 * @param owner the owner as the messages name it, e.g. {@code "kubectl" using apps/v1}
 */
public record Conflict(String field, String manager, String owner) {

    /** The message of this conflict's Status cause: {@code conflict with "kubectl" using apps/v1}. */
    public String causeMessage() {
        return "conflict with " + owner;
    }
}
