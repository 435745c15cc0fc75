package io.kube4j.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free checks NameValidation runs first must accept exactly what upstream's patterns and length limits
 * accept: every generated string is valid for NameValidation if and only if it is valid by the plain regex rules
 * written out here.
 */
class NameValidationFastPathTest {
    private static final Pattern QNAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern SUBDOMAIN = Pattern.compile(LABEL.pattern() + "(\\." + LABEL.pattern() + ")*");
    private static final String ALPHABET = "abzAZ09-_./é ";

    @Test
    void fastChecksAgreeWithThePatterns() {
        for (String s : corpus()) {
            assertThat(NameValidation.isDns1123Label(s).isEmpty()).as("label '%s'", s)
                    .isEqualTo(s.length() <= 63 && LABEL.matcher(s).matches());
            assertThat(NameValidation.isDns1123Subdomain(s).isEmpty()).as("subdomain '%s'", s)
                    .isEqualTo(bytes(s) <= 253 && SUBDOMAIN.matcher(s).matches());
            assertThat(NameValidation.isValidLabelValue(s).isEmpty()).as("label value '%s'", s)
                    .isEqualTo(bytes(s) <= 63 && (s.isEmpty() || QNAME.matcher(s).matches()));
            assertThat(NameValidation.isQualifiedName(s).isEmpty()).as("qualified name '%s'", s)
                    .isEqualTo(qualifiedName(s));
        }
    }

    @Test
    void invalidNamesStillGetUpstreamsMessages() {
        assertThat(NameValidation.isDns1123Label("a.b")).containsExactly("must not contain dots");
        assertThat(NameValidation.isQualifiedName("example.com/")).containsExactly("name part must be non-empty",
                "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                        + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                        + "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
        assertThat(NameValidation.isValidLabelValue("x".repeat(64))).containsExactly(
                "must be no more than 63 characters");
    }

    private static boolean qualifiedName(String s) {
        String[] parts = s.split("/", -1);
        if (parts.length > 2) {
            return false;
        }
        String name = parts[parts.length - 1];
        if (parts.length == 2 && (parts[0].isEmpty() || bytes(parts[0]) > 253
                || !SUBDOMAIN.matcher(parts[0]).matches())) {
            return false;
        }
        return !name.isEmpty() && bytes(name) <= 63 && QNAME.matcher(name).matches();
    }

    private static int bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static List<String> corpus() {
        List<String> out = new ArrayList<>(List.of("", "a", "-", ".", "a.", ".a", "a..b", "a-b", "a_b", "A", "0",
                "example.com/name", "/name", "example.com/", "a/b/c", "Example.com/x", "kubernetes.io/os",
                "app.kubernetes.io/name", "x".repeat(63), "x".repeat(64), "a." + "b".repeat(250), "a.".repeat(126) + "a",
                "a.".repeat(127) + "a", "p".repeat(253) + "/n", "p".repeat(254) + "/n", "é", "aé", "é/a"));
        Random random = new Random(42);
        for (int i = 0; i < 50_000; i++) {
            int length = random.nextInt(random.nextBoolean() ? 6 : 70);
            StringBuilder b = new StringBuilder();
            for (int j = 0; j < length; j++) {
                b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            out.add(b.toString());
        }
        return out;
    }
}
