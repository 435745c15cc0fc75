package io.kube4j.apiserver.crd.celrules;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a schema property name appears in CEL, as upstream's escaping: a CEL keyword becomes {@code __keyword__};
 * {@code __}, {@code .}, {@code -} and {@code /} become {@code __underscores__}, {@code __dot__}, {@code __dash__},
 * {@code __slash__}. A name with any other character is not accessible from rules at all (upstream leaves it out).
 */
final class CelNames {

    private static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const",
            "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return",
            "var", "void", "while");
    private static final Pattern ESCAPABLE = Pattern.compile("[a-zA-Z_.\\-/][a-zA-Z0-9_.\\-/]*");

    private CelNames() {
    }

    /** The CEL field name of a property, or null if the property cannot be named in CEL. */
    static String escape(String property) {
        if (RESERVED.contains(property)) {
            return "__" + property + "__";
        }
        if (!ESCAPABLE.matcher(property).matches()) {
            return null;
        }
        return property.replace("__", "__underscores__").replace(".", "__dot__").replace("-", "__dash__")
                .replace("/", "__slash__");
    }
}
