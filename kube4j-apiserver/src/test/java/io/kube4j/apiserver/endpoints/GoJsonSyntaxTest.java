package io.kube4j.apiserver.endpoints;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Go's encoding/json syntax errors, word for word (expected texts as Go 1.22 prints them). */
class GoJsonSyntaxTest {

    private static String error(String json) {
        return GoJsonSyntax.error(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void validDocumentsHaveNoError() {
        for (String ok : new String[] {"{}", " {\"a\":[1,-2.5e+3,true,false,null,\"x\\u00e9\\n\"]} ", "[]", "0",
                "\"s\"", "{\"a\":{}}\n"}) {
            assertThat(error(ok)).as(ok).isNull();
        }
    }

    @Test
    void truncatedInputIsUnexpectedEnd() {
        assertThat(error("")).isEqualTo("unexpected end of JSON input");
        assertThat(error("{\"apiVersion\":\"v1\",")).isEqualTo("unexpected end of JSON input");
        assertThat(error("[1,2")).isEqualTo("unexpected end of JSON input");
        assertThat(error("\"abc")).isEqualTo("unexpected end of JSON input");
    }

    @Test
    void invalidCharactersNameTheirContext() {
        assertThat(error("{\"a\" 1}")).isEqualTo("invalid character '1' after object key");
        assertThat(error("{\"a\":1 \"b\":2}")).isEqualTo("invalid character '\"' after object key:value pair");
        assertThat(error("{\"a\":1,}")).isEqualTo("invalid character '}' looking for beginning of object key string");
        assertThat(error("{a:1}")).isEqualTo("invalid character 'a' looking for beginning of object key string");
        assertThat(error("[1 2]")).isEqualTo("invalid character '2' after array element");
        assertThat(error("[1,]")).isEqualTo("invalid character ']' looking for beginning of value");
        assertThat(error("{} x")).isEqualTo("invalid character 'x' after top-level value");
        assertThat(error("{\"a\":tru}")).isEqualTo("invalid character '}' in literal true (expecting 'e')");
        assertThat(error("{\"a\":nul}")).isEqualTo("invalid character '}' in literal null (expecting 'l')");
        assertThat(error("{\"a\":-x}")).isEqualTo("invalid character 'x' in numeric literal");
        assertThat(error("{\"a\":1.}")).isEqualTo("invalid character '}' after decimal point in numeric literal");
        assertThat(error("{\"a\":1e}")).isEqualTo("invalid character '}' in exponent of numeric literal");
        assertThat(error("{\"a\":\"\\x\"}")).isEqualTo("invalid character 'x' in string escape code");
        assertThat(error("{\"a\":\"\\u12g4\"}")).isEqualTo("invalid character 'g' in \\u hexadecimal character escape");
        assertThat(error("{\"a\":\"x\ny\"}")).isEqualTo("invalid character '\\n' in string literal");
        assertThat(error("'x'")).isEqualTo("invalid character '\\'' looking for beginning of value");
        assertThat(error("apiVersion: v1")).isEqualTo("invalid character 'a' looking for beginning of value");
    }
}
