package io.kube4j.api.validation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Syntax checks of names, keys and values, as upstream's {@code apimachinery/pkg/util/validation}: each returns
 * the list of upstream messages (empty when valid), to be wrapped into {@link FieldError}s by the caller.
 */
public final class NameValidation {
    private NameValidation() {
    }

    public static final int DNS1123_LABEL_MAX_LENGTH = 63;
    public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
    public static final int LABEL_VALUE_MAX_LENGTH = 63;
    public static final int QUALIFIED_NAME_MAX_LENGTH = 63;

    private static final String QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String QNAME_ERR = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private static final Pattern QNAME = Pattern.compile(QNAME_FMT);

    private static final String LABEL_VALUE_FMT = "(" + QNAME_FMT + ")?";
    private static final String LABEL_VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);

    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_LABEL_ERR = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);

    private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final String DNS1123_SUBDOMAIN_ERR = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);

    private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1035_LABEL_ERR = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);

    private static final String WILDCARD_FMT = "\\*\\." + DNS1123_SUBDOMAIN_FMT;
    private static final String WILDCARD_ERR = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";
    private static final Pattern WILDCARD = Pattern.compile(WILDCARD_FMT);

    private static final String CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
    private static final String CONFIG_KEY_ERR = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
    private static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_FMT);

    private static final String ENV_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
    private static final String ENV_NAME_ERR = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
    private static final Pattern ENV_NAME = Pattern.compile(ENV_NAME_FMT);

    private static final String C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*";
    private static final String C_IDENTIFIER_ERR = "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";
    private static final Pattern C_IDENTIFIER = Pattern.compile(C_IDENTIFIER_FMT);

    private static final String PERCENT_FMT = "[0-9]+%";
    private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);

    private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");
    private static final Pattern ONE_LETTER = Pattern.compile(".*[a-z].*", Pattern.DOTALL);

    /** A label key or other "qualified name": an optional DNS subdomain prefix and '/', then a name of 63 chars at most. */
    public static List<String> isQualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        if (validQualifiedName(value)) {
            return errs;
        }
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part " + emptyError());
            } else {
                for (String m : isDns1123Subdomain(prefix)) {
                    errs.add("prefix part " + m);
                }
            }
        } else {
            errs.add("a qualified name " + regexError(QNAME_ERR, QNAME_FMT, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part " + emptyError());
        } else if (length(name) > QUALIFIED_NAME_MAX_LENGTH) {
            errs.add("name part " + maxLenError(QUALIFIED_NAME_MAX_LENGTH));
        }
        if (!QNAME.matcher(name).matches()) {
            errs.add("name part " + regexError(QNAME_ERR, QNAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    public static List<String> isValidLabelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.isEmpty() || value.length() <= LABEL_VALUE_MAX_LENGTH && validQualifiedNamePart(value, 0,
                value.length())) {
            return errs;
        }
        if (length(value) > LABEL_VALUE_MAX_LENGTH) {
            errs.add(maxLenError(LABEL_VALUE_MAX_LENGTH));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    public static List<String> isDns1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() <= DNS1123_LABEL_MAX_LENGTH && validDns1123Label(value, 0, value.length())) {
            return errs;
        }
        if (length(value) > DNS1123_LABEL_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_LABEL_MAX_LENGTH));
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            if (DNS1123_SUBDOMAIN.matcher(value).matches()) {
                errs.add("must not contain dots");
            } else {
                errs.add(regexError(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, "my-name", "123-abc"));
            }
        }
        return errs;
    }

    public static List<String> isDns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() <= DNS1123_SUBDOMAIN_MAX_LENGTH && validDns1123Subdomain(value, 0, value.length())) {
            return errs;
        }
        if (length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errs.add(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    public static List<String> isDns1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (length(value) > 63) {
            errs.add(maxLenError(63));
        }
        if (!DNS1035_LABEL.matcher(value).matches()) {
            errs.add(regexError(DNS1035_LABEL_ERR, DNS1035_LABEL_FMT, "my-name", "abc-123"));
        }
        return errs;
    }

    public static List<String> isWildcardDns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        }
        if (!WILDCARD.matcher(value).matches()) {
            errs.add(regexError(WILDCARD_ERR, WILDCARD_FMT, "*.example.com"));
        }
        return errs;
    }

    public static List<String> isCIdentifier(String value) {
        if (!C_IDENTIFIER.matcher(value).matches()) {
            return List.of(regexError(C_IDENTIFIER_ERR, C_IDENTIFIER_FMT, "my_name", "MY_NAME", "MyName"));
        }
        return List.of();
    }

    /** A ConfigMap / Secret data key. */
    public static List<String> isConfigMapKey(String value) {
        List<String> errs = new ArrayList<>();
        if (length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        }
        if (!CONFIG_KEY.matcher(value).matches()) {
            errs.add(regexError(CONFIG_KEY_ERR, CONFIG_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
        }
        errs.addAll(hasChDirPrefix(value));
        return errs;
    }

    /** The strict (pre RelaxedEnvironmentVariableValidation) environment variable name rule. */
    public static List<String> isEnvVarName(String value) {
        List<String> errs = new ArrayList<>();
        if (!ENV_NAME.matcher(value).matches()) {
            errs.add(regexError(ENV_NAME_ERR, ENV_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"));
        }
        errs.addAll(hasChDirPrefix(value));
        return errs;
    }

    /** The environment variable name rule of 1.32 (RelaxedEnvironmentVariableValidation is on by default). */
    public static List<String> isRelaxedEnvVarName(String value) {
        List<String> errs = new ArrayList<>();
        if (value.isEmpty()) {
            errs.add("environment variable name " + emptyError());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '=') {
                errs.add("a valid environment variable name must consist only of printable ASCII characters other than '='");
                break;
            }
        }
        return errs;
    }

    public static List<String> isValidPortNum(long port) {
        return port >= 1 && port <= 65535 ? List.of() : List.of(inclusiveRangeError(1, 65535));
    }

    public static List<String> isInRange(long value, long min, long max) {
        return value >= min && value <= max ? List.of() : List.of(inclusiveRangeError(min, max));
    }

    public static List<String> isValidPortName(String port) {
        List<String> errs = new ArrayList<>();
        if (length(port) > 15) {
            errs.add(maxLenError(15));
        }
        if (!PORT_NAME_CHARSET.matcher(port).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!ONE_LETTER.matcher(port).matches()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (port.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!port.isEmpty() && (port.charAt(0) == '-' || port.charAt(port.length() - 1) == '-')) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    public static List<String> isValidPercent(String value) {
        if (!PERCENT.matcher(value).matches()) {
            return List.of(regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, "1%", "93%"));
        }
        return List.of();
    }

    public static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    public static String emptyError() {
        return "must be non-empty";
    }

    public static String inclusiveRangeError(long lo, long hi) {
        return "must be between " + lo + " and " + hi + ", inclusive";
    }

    public static String regexError(String msg, String fmt, String... examples) {
        if (examples.length == 0) {
            return msg + " (regex used for validation is '" + fmt + "')";
        }
        StringBuilder b = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                b.append(" or ");
            }
            b.append('\'').append(examples[i]).append("', ");
        }
        return b.append("regex used for validation is '").append(fmt).append("')").toString();
    }

    private static List<String> hasChDirPrefix(String value) {
        List<String> errs = new ArrayList<>();
        if (value.equals(".")) {
            errs.add("must not be '.'");
        } else if (value.equals("..")) {
            errs.add("must not be '..'");
        } else if (value.startsWith("..")) {
            errs.add("must not start with '..'");
        }
        return errs;
    }

    /** Go measures string length in bytes. */
    static int length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    // Allocation-free checks of the common, valid case, each accepting exactly what its pattern above matches (and
    // only within the length limit); anything they reject goes through the pattern code, which words the errors.
    // Every create and update checks its name, namespace, labels and, for pods, each resource name: the patterns,
    // String.split and the UTF-8 length cost a pod create some KB of garbage. The inputs are ASCII when they pass, so
    // a char count is the byte count.

    /** QNAME_FMT: alphanumeric at both ends, '-', '_' or '.' inside; {@code from < to}. */
    private static boolean validQualifiedNamePart(String s, int from, int to) {
        if (from >= to || !alphanumeric(s.charAt(from)) || !alphanumeric(s.charAt(to - 1))) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            char c = s.charAt(i);
            if (!alphanumeric(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** What {@link #isQualifiedName} accepts without a message: [DNS-1123 subdomain '/'] name of at most 63. */
    private static boolean validQualifiedName(String value) {
        int slash = value.indexOf('/');
        int nameStart = 0;
        if (slash >= 0) {
            if (value.indexOf('/', slash + 1) >= 0 || slash > DNS1123_SUBDOMAIN_MAX_LENGTH
                    || !validDns1123Subdomain(value, 0, slash)) {
                return false;
            }
            nameStart = slash + 1;
        }
        return value.length() - nameStart <= QUALIFIED_NAME_MAX_LENGTH
                && validQualifiedNamePart(value, nameStart, value.length());
    }

    /** DNS1123_LABEL_FMT over {@code s[from, to)}. */
    private static boolean validDns1123Label(String s, int from, int to) {
        if (from >= to || !lowerAlphanumeric(s.charAt(from)) || !lowerAlphanumeric(s.charAt(to - 1))) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            char c = s.charAt(i);
            if (!lowerAlphanumeric(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** DNS1123_SUBDOMAIN_FMT over {@code s[from, to)}: labels joined by single dots. */
    private static boolean validDns1123Subdomain(String s, int from, int to) {
        int start = from;
        while (true) {
            int dot = s.indexOf('.', start);
            int end = dot < 0 || dot >= to ? to : dot;
            if (!validDns1123Label(s, start, end)) {
                return false;
            }
            if (end == to) {
                return true;
            }
            start = end + 1;
        }
    }

    private static boolean alphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private static boolean lowerAlphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }
}
