package io.kube4j.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NameValidationTest {

    @Test
    void dns1123LabelAcceptsLowercaseAlphanumericsAndDashes() {
        assertThat(NameValidation.isDns1123Label("my-name")).isEmpty();
        assertThat(NameValidation.isDns1123Label("123-abc")).isEmpty();
        assertThat(NameValidation.isDns1123Label("a".repeat(63))).isEmpty();
    }

    @Test
    void dns1123LabelMessageMatchesUpstreamExactly() {
        assertThat(NameValidation.isDns1123Label("-bad")).containsExactly(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
                        + "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
                        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
    }

    @Test
    void dns1123LabelWithDotsSaysSo() {
        assertThat(NameValidation.isDns1123Label("a.b")).containsExactly("must not contain dots");
    }

    @Test
    void dns1123LabelTooLong() {
        assertThat(NameValidation.isDns1123Label("a".repeat(64))).containsExactly("must be no more than 63 characters");
    }

    @Test
    void dns1123Subdomain() {
        assertThat(NameValidation.isDns1123Subdomain("example.com")).isEmpty();
        assertThat(NameValidation.isDns1123Subdomain("Example.com")).containsExactly(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
                        + "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
                        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        assertThat(NameValidation.isDns1123Subdomain("a".repeat(254))).contains("must be no more than 253 characters");
    }

    @Test
    void qualifiedNames() {
        assertThat(NameValidation.isQualifiedName("app")).isEmpty();
        assertThat(NameValidation.isQualifiedName("example.com/My_name-1.x")).isEmpty();
        assertThat(NameValidation.isQualifiedName("/name")).containsExactly("prefix part must be non-empty");
        assertThat(NameValidation.isQualifiedName("a/b/c")).containsExactly(
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                        + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                        + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
                        + "(e.g. 'example.com/MyName')");
        assertThat(NameValidation.isQualifiedName("example.com/")).containsExactly("name part must be non-empty",
                "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                        + "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                        + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
        assertThat(NameValidation.isQualifiedName("x".repeat(64))).contains("name part must be no more than 63 characters");
    }

    @Test
    void labelValues() {
        assertThat(NameValidation.isValidLabelValue("")).isEmpty();
        assertThat(NameValidation.isValidLabelValue("v1.2_x")).isEmpty();
        assertThat(NameValidation.isValidLabelValue("-x")).hasSize(1);
        assertThat(NameValidation.isValidLabelValue("x".repeat(64))).contains("must be no more than 63 characters");
    }

    @Test
    void portNames() {
        assertThat(NameValidation.isValidPortName("http")).isEmpty();
        assertThat(NameValidation.isValidPortName("80")).containsExactly("must contain at least one letter (a-z)");
        assertThat(NameValidation.isValidPortName("a--b")).containsExactly("must not contain consecutive hyphens");
        assertThat(NameValidation.isValidPortName("-ab")).containsExactly("must not begin or end with a hyphen");
        assertThat(NameValidation.isValidPortName("averyveryverylongname")).contains("must be no more than 15 characters");
        assertThat(NameValidation.isValidPortName("HTTP")).contains("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    }

    @Test
    void configMapKeys() {
        assertThat(NameValidation.isConfigMapKey("key.name_1-x")).isEmpty();
        assertThat(NameValidation.isConfigMapKey("..")).contains("must not be '..'");
        assertThat(NameValidation.isConfigMapKey("..x")).contains("must not start with '..'");
        assertThat(NameValidation.isConfigMapKey("a/b")).hasSize(1);
    }

    @Test
    void envVarNamesAreRelaxedIn132() {
        assertThat(NameValidation.isRelaxedEnvVarName("1ABC")).isEmpty();
        assertThat(NameValidation.isRelaxedEnvVarName("A=B")).containsExactly(
                "a valid environment variable name must consist only of printable ASCII characters other than '='");
        assertThat(NameValidation.isEnvVarName("1ABC")).hasSize(1);
    }

    @Test
    void portNumbers() {
        assertThat(NameValidation.isValidPortNum(0)).containsExactly("must be between 1 and 65535, inclusive");
        assertThat(NameValidation.isValidPortNum(65536)).hasSize(1);
        assertThat(NameValidation.isValidPortNum(443)).isEmpty();
    }
}
