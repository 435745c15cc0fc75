package io.kube4j.api.selector;

/** The operators of a label selector requirement, with upstream's (selection.Operator) spelling. */
public enum Operator {
    EXISTS("exists"),
    DOES_NOT_EXIST("!"),
    EQUALS("="),
    DOUBLE_EQUALS("=="),
    NOT_EQUALS("!="),
    IN("in"),
    NOT_IN("notin"),
    GREATER_THAN("gt"),
    LESS_THAN("lt");

    private final String upstreamName;

    Operator(String upstreamName) {
        this.upstreamName = upstreamName;
    }

    /** The operator as upstream names it in error messages ("in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"). */
    public String upstreamName() {
        return upstreamName;
    }
}
