package io.kube4j.apiserver.flowcontrol;

import io.kube4j.apiserver.http.RawConnection;
import io.kube4j.apiserver.http.ResponseSink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds upstream's {@code X-Kubernetes-PF-FlowSchema-UID} and {@code X-Kubernetes-PF-PriorityLevel-UID} headers to
 * whatever answer a classified request gets, 429s included, so that a client can tell which schema and level
 * handled it.
 */
final class FlowControlHeaders implements ResponseSink {

    static final String FLOW_SCHEMA_UID = "X-Kubernetes-PF-FlowSchema-UID";
    static final String PRIORITY_LEVEL_UID = "X-Kubernetes-PF-PriorityLevel-UID";

    private final ResponseSink delegate;
    private final String schemaUid;
    private final String levelUid;
    /** The two headers alone, for the common answer that has no others: made once, not per request. */
    private final Map<String, String> alone;

    FlowControlHeaders(ResponseSink delegate, String schemaUid, String levelUid, Map<String, String> alone) {
        this.delegate = delegate;
        this.schemaUid = schemaUid;
        this.levelUid = levelUid;
        this.alone = alone;
    }

    /** What {@code alone} must be for these UIDs. */
    static Map<String, String> headers(String schemaUid, String levelUid) {
        return Map.of(FLOW_SCHEMA_UID, schemaUid, PRIORITY_LEVEL_UID, levelUid);
    }

    @Override
    public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
        delegate.send(status, contentType, body, with(headers));
    }

    @Override
    public StreamWriter stream(int status, String contentType, Map<String, String> headers) {
        return delegate.stream(status, contentType, with(headers));
    }

    @Override
    public BodyWriter body(int status, String contentType, Map<String, String> headers) {
        return delegate.body(status, contentType, with(headers));
    }

    @Override
    public BodyWriter body(int status, String contentType, List<Map.Entry<String, String>> headerLines) {
        List<Map.Entry<String, String>> lines = new ArrayList<>(headerLines.size() + 2);
        lines.addAll(headerLines);
        lines.add(Map.entry(FLOW_SCHEMA_UID, schemaUid));
        lines.add(Map.entry(PRIORITY_LEVEL_UID, levelUid));
        return delegate.body(status, contentType, lines);
    }

    @Override
    public Optional<RawConnection> rawConnection() {
        return delegate.rawConnection();
    }

    private Map<String, String> with(Map<String, String> headers) {
        if (headers.isEmpty()) {
            return alone;
        }
        Map<String, String> all = new HashMap<>(headers.size() + 4);
        all.putAll(headers);
        all.put(FLOW_SCHEMA_UID, schemaUid);
        all.put(PRIORITY_LEVEL_UID, levelUid);
        return all;
    }
}
