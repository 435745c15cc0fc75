package io.kube4j.apiserver.audit;

import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.endpoints.RequestInfo;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The audit log ({@code --audit-log-path}): audit.k8s.io/v1 Events at the Metadata level - who, what, from where,
 * and the answer's code, never a body - each written as one JSON line. Every request has its event at the stage
 * ResponseComplete, when the response completes; a long-running request (a watch, exec, a proxied WebSocket) also
 * has one at ResponseStarted, when its status goes out, as upstream's audit filter writes them; both carry the
 * request's one auditID, and the annotations admission gave the request so far ({@link AuditAnnotations}).
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private final OutputStream out;

    private AuditLog(OutputStream out) {
        this.out = out;
    }

    /** Appends to {@code file} (created with its directories, 0600: it names every user of the cluster). */
    public static AuditLog open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            if (!Files.exists(file)) {
                Files.createFile(file);
                try {
                    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(
                            "rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the file keeps the default permissions
                }
            }
            return new AuditLog(Files.newOutputStream(file, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the audit log " + file + ": " + e.getMessage(), e);
        }
    }

    /** The stages an event is written at, named as upstream's {@code audit.k8s.io/v1} Stage. */
    public enum Stage {
        ResponseStarted, ResponseComplete
    }

    /** A new request's auditID, shared by its events. */
    public static String newAuditId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Records a request at {@code stage}. {@code user} is null when authentication failed; {@code info} null for a
     * non-resource request; {@code annotations} those the request has been given so far.
     */
    public void record(String auditId, Stage stage, ApiRequest request, RequestInfo info, UserInfo user, int code,
                       Instant received, Instant now, AuditAnnotations annotations) {
        ObjectNode event = event(auditId, stage, request, info, user, code, received, now, annotations);
        byte[] json = Json.bytes(event);
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
        line[json.length] = (byte) '\n';
        synchronized (this) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                LOG.warn("cannot write the audit log: {}", e.toString());
            }
        }
    }

    static ObjectNode event(String auditId, Stage stage, ApiRequest request, RequestInfo info, UserInfo user,
                            int code, Instant received, Instant now, AuditAnnotations annotations) {
        ObjectNode event = Json.object();
        event.put("kind", "Event");
        event.put("apiVersion", "audit.k8s.io/v1");
        event.put("level", "Metadata");
        event.put("auditID", auditId);
        event.put("stage", stage.name());
        event.put("requestURI", requestUri(request));
        event.put("verb", info != null ? info.verb() : request.method().toLowerCase(java.util.Locale.ROOT));
        ObjectNode userNode = event.putObject("user");
        if (user != null) {
            userNode.put("username", user.name());
            if (!user.uid().isEmpty()) {
                userNode.put("uid", user.uid());
            }
            ArrayNode groups = userNode.putArray("groups");
            user.groups().forEach(groups::add);
        }
        ArrayNode sourceIps = event.putArray("sourceIPs");
        if (!request.remoteAddress().isEmpty()) {
            sourceIps.add(request.remoteAddress());
        }
        String userAgent = request.header("user-agent");
        if (userAgent != null) {
            event.put("userAgent", userAgent);
        }
        if (info != null) {
            ObjectNode ref = event.putObject("objectRef");
            ref.put("resource", info.resource());
            if (info.namespace() != null) {
                ref.put("namespace", info.namespace());
            }
            if (info.name() != null) {
                ref.put("name", info.name());
            }
            if (!info.group().isEmpty()) {
                ref.put("apiGroup", info.group());
            }
            ref.put("apiVersion", info.version());
            if (info.subresource() != null) {
                ref.put("subresource", info.subresource());
            }
        }
        ObjectNode status = event.putObject("responseStatus");
        status.putObject("metadata");
        status.put("code", code);
        event.put("requestReceivedTimestamp", MICROS.format(received));
        event.put("stageTimestamp", MICROS.format(now));
        // upstream writes them at every level but None, omitted when there are none; keys sorted, as Go encodes a map
        java.util.Map<String, String> added = annotations == null ? java.util.Map.of() : annotations.snapshot();
        if (!added.isEmpty()) {
            ObjectNode node = event.putObject("annotations");
            new java.util.TreeMap<>(added).forEach(node::put);
        }
        return event;
    }

    /** The request's URI as the client sent it, path and query (upstream's {@code req.RequestURI}). */
    public static String requestUri(ApiRequest request) {
        StringBuilder uri = new StringBuilder(request.path());
        char separator = '?';
        for (var entry : request.query().entrySet()) {
            for (String value : entry.getValue()) {
                uri.append(separator).append(encode(entry.getKey())).append('=').append(encode(value));
                separator = '&';
            }
        }
        return uri.toString();
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.debug("closing the audit log failed", e);
        }
    }
}
