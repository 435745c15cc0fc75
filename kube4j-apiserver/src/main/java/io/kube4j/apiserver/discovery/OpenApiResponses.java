package io.kube4j.apiserver.discovery;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.AcceptClause;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How {@code /openapi/v2}, {@code /openapi/v3} and {@code /openapi/v3/<group-version>} answer, as kube-openapi's
 * handlers: the Accept header picks the form among those served (by weight, then specificity, then the server's
 * order), and when it names none of them the answer is 406 (a Status listing what is served); every answer carries
 * {@code Vary: Accept} and the document's entity tag as a quoted {@code ETag}, and a GET or HEAD whose
 * {@code If-None-Match} names that tag (or is {@code *}) gets 304 with no body. A v3 document asked for with a
 * {@code ?hash=} that is not its current one is redirected (301) to the current one; with the current one it is
 * marked cacheable for a year, as the hash pins its content.
 */
public final class OpenApiResponses {

    static final String JSON = "application/json";
    /** What upstream answers protobuf requests with ({@code subTypeProtobuf} of kube-openapi's v2 handler). */
    static final String V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
    /** The deprecated name client-go still asks for ({@code openAPIV2mimePb}). */
    static final String V2_PROTOBUF_DEPRECATED = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    /** A form a document is served in: the media range it answers and the content type it answers with. */
    private record Form(String mediaType, String contentType, Supplier<OpenApiDocuments.Document> document) {
    }

    private final OpenApiDocuments documents;

    public OpenApiResponses(OpenApiDocuments documents) {
        this.documents = documents;
    }

    /** {@code /openapi/v2}: JSON or gnostic's protobuf. */
    public void v2(ApiRequest request, ResponseSink sink) {
        serve(request, sink, List.of(
                new Form(JSON, JSON, documents::v2Document),
                new Form(V2_PROTOBUF_DEPRECATED, V2_PROTOBUF, documents::v2ProtobufDocument),
                new Form(V2_PROTOBUF, V2_PROTOBUF, documents::v2ProtobufDocument)), null);
    }

    /** {@code /openapi/v3}: the index, JSON only (upstream's discovery handler does not negotiate). */
    public void v3Index(ApiRequest request, ResponseSink sink) {
        answer(request, sink, JSON, documents.indexDocument(), Map.of());
    }

    /**
     * {@code /openapi/v3/<relativePath>} as JSON (the protobuf form upstream also serves is not: such a request is
     * 406); false if no such group-version is served.
     */
    public boolean v3(ApiRequest request, ResponseSink sink, String relativePath) {
        OpenApiDocuments.Document document = documents.groupVersionDocument(relativePath);
        if (document == null) {
            return false;
        }
        serve(request, sink, List.of(new Form(JSON, JSON, () -> document)), relativePath);
        return true;
    }

    /** {@code v3Path}: the group-version of a v3 document (its {@code ?hash=} is checked), else null. */
    private static void serve(ApiRequest request, ResponseSink sink, List<Form> forms, String v3Path) {
        Form form = negotiate(request.header("accept"), forms);
        if (form == null) {
            List<String> served = forms.stream().map(Form::mediaType).distinct().toList();
            throw StatusException.notAcceptable(served);
        }
        OpenApiDocuments.Document document = form.document().get();
        Map<String, String> headers = new LinkedHashMap<>();
        if (v3Path != null) {
            String hash = request.param("hash");
            if (hash != null && !hash.isEmpty()) {
                if (!hash.equals(document.etag())) {
                    headers.put("Vary", "Accept");
                    headers.put("Location", "/openapi/v3/" + v3Path + "?hash=" + document.etag());
                    sink.send(301, null, new byte[0], headers);
                    return;
                }
                headers.put("Cache-Control", "public, immutable");
                headers.put("Expires", HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC).plusYears(1)));
            }
        }
        answer(request, sink, form.contentType(), document, headers);
    }

    private static void answer(ApiRequest request, ResponseSink sink, String contentType,
                               OpenApiDocuments.Document document, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Vary", "Accept");
        String etag = "\"" + document.etag() + "\"";
        headers.put("ETag", etag);
        if (noneMatch(request.header("if-none-match"), etag)) {
            sink.send(304, null, new byte[0], headers);
            return;
        }
        sink.send(200, contentType, document.bytes(), headers);
    }

    /**
     * Whether {@code If-None-Match} names {@code etag} (RFC 9110 section 13.1.2: a list of entity tags compared
     * weakly, or {@code *} for any current representation).
     */
    static boolean noneMatch(String header, String etag) {
        if (header == null) {
            return false;
        }
        for (String element : header.split(",")) {
            String tag = element.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The form the Accept header prefers among {@code forms}: its clauses by weight, then specificity, then their
     * order, each tried against the forms in the server's order (kube-openapi's loop over goautoneg's sorted
     * clauses, {@link AcceptClause}); a weight of 0 refuses. No header, or an empty one, accepts anything: the first
     * form.
     */
    private static Form negotiate(String accept, List<Form> forms) {
        for (AcceptClause clause : AcceptClause.parse(accept == null || accept.isBlank() ? "*/*" : accept)) {
            for (Form form : forms) {
                if (clause.matches(form.mediaType())) {
                    return form;
                }
            }
        }
        return null;
    }
}
