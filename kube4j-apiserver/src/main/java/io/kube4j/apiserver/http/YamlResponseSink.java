package io.kube4j.apiserver.http;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;
import tools.jackson.dataformat.yaml.util.StringQuotingChecker;

import java.util.Map;
import java.util.Optional;

/**
 * A sink for a client that negotiated {@code application/yaml}: JSON answers (objects, lists, Status errors) are
 * written as YAML, every other body (plain text, streams) passes through as it is. The handlers keep encoding JSON
 * only; this is the one place that re-encodes, as upstream's YAML serializer does (JSON first, then JSON to YAML).
 * Watches are refused with 406 before they start: YAML has no stream framing, upstream serves no YAML watch.
 */
public final class YamlResponseSink implements ResponseSink {

    public static final String YAML = "application/yaml";
    private static final String JSON = "application/json";

    /**
     * sigs.k8s.io/yaml's output shape: keys sorted (its JSON-to-YAML round trip goes through Go maps), no document
     * marker, quotes only where a plain scalar would read as something else, multi-line strings as literal blocks,
     * long lines not folded, list items at their key's indentation.
     */
    private static final YAMLMapper WRITER = YAMLMapper.builder(YAMLFactory.builder()
                    .stringQuotingChecker(new Yaml11Quoting()).build())
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .disable(YAMLWriteFeature.SPLIT_LINES)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();

    /**
     * Quotes, besides what YAML 1.2 would read as another type, every string a YAML 1.1 reader (go-yaml v2, under
     * client-go and kubectl) could take for a number or a timestamp: those starting like one (0x1F, 017, 1_000, 1:20,
     * 2026-01-01, .5, -1). Quoting more than needed is harmless; quoting less would turn a string into a number.
     */
    private static final class Yaml11Quoting extends StringQuotingChecker.Default {
        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || startsLikeNumber(value);
        }

        private static boolean startsLikeNumber(String value) {
            if (value.isEmpty()) {
                return false;
            }
            char first = value.charAt(0);
            if (first >= '0' && first <= '9') {
                return true;
            }
            if (value.length() < 2 || "+-.".indexOf(first) < 0) {
                return false;
            }
            char second = value.charAt(1);
            return second >= '0' && second <= '9' || second == '.';
        }
    }

    private final ResponseSink delegate;

    public YamlResponseSink(ResponseSink delegate) {
        this.delegate = delegate;
    }

    /** {@code json} (a whole JSON document) as YAML; nothing stays nothing. */
    static byte[] yaml(byte[] json) {
        return json.length == 0 ? json : WRITER.writeValueAsBytes(Json.parse(json));
    }

    /** JSON, also with parameters naming a conversion ({@code application/json;g=...;v=...;as=...}). */
    private static boolean isJson(String contentType) {
        return contentType.startsWith(JSON)
                && (contentType.length() == JSON.length() || contentType.charAt(JSON.length()) == ';');
    }

    /** The YAML answer's type: the JSON one's parameters kept, as upstream names a conversion in either format. */
    private static String yamlType(String jsonType) {
        return YAML + jsonType.substring(JSON.length());
    }

    @Override
    public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
        if (isJson(contentType)) {
            delegate.send(status, yamlType(contentType), yaml(body), headers);
        } else {
            delegate.send(status, contentType, body, headers);
        }
    }

    @Override
    public BodyWriter body(int status, String contentType, Map<String, String> headers) {
        if (!isJson(contentType)) {
            return delegate.body(status, contentType, headers);
        }
        // a list is written in pieces; YAML needs the whole document, as upstream's encoder does
        String yamlType = yamlType(contentType);
        BufferedBodyWriter buffer = new BufferedBodyWriter(json -> delegate.send(status, yamlType, yaml(json), headers));
        return new BodyWriter() {
            @Override
            public void write(byte[] bytes, int offset, int length) {
                buffer.write(bytes, offset, length);
            }

            @Override
            public void close() {
                buffer.close();
            }

            @Override
            public void abort() {
                buffer.abort();
                // nothing was sent yet: the client must still see a broken response, never a missing one
                delegate.body(status, yamlType, headers).abort();
            }
        };
    }

    @Override
    public StreamWriter stream(int status, String contentType, Map<String, String> headers) {
        return delegate.stream(status, contentType, headers);
    }

    @Override
    public Optional<RawConnection> rawConnection() {
        return delegate.rawConnection();
    }
}
