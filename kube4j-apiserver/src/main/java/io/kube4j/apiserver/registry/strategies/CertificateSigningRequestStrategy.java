package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.apply.FieldSet;
import io.kube4j.api.printers.Column;
import io.kube4j.api.printers.HumanDuration;
import io.kube4j.api.printers.TablePrinter;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.registry.DefaultStrategy;
import io.kube4j.apiserver.registry.ResetFields;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * certificates.k8s.io/v1 CertificateSigningRequests, as upstream's {@code pkg/registry/certificates}: the spec is
 * immutable, a write to the main resource keeps the status, a write to status keeps the approval, a write to
 * approval changes only the conditions, and spec.request must hold one PEM {@code CERTIFICATE REQUEST}. Who asked
 * (spec.username/uid/groups/extra) is set by {@code CertificateSigningRequestAdmission}, which has the request's user,
 * and which also refuses an approval taken back.
 */
public final class CertificateSigningRequestStrategy extends DefaultStrategy {

    /** The subresource through which requests are approved or denied (its conditions only). */
    public static final String APPROVAL = "approval";

    /** The condition types only the approval subresource sets. */
    private static final Set<String> APPROVAL_TYPES = Set.of("Approved", "Denied");

    /** Upstream's floor for spec.expirationSeconds. */
    public static final long MIN_EXPIRATION_SECONDS = 600;

    private static final Set<String> KNOWN_USAGES = Set.of("signing", "digital signature", "content commitment",
            "key encipherment", "key agreement", "data encipherment", "cert sign", "crl sign", "encipher only",
            "decipher only", "any", "server auth", "client auth", "code signing", "email protection", "s/mime",
            "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing", "microsoft sgc",
            "netscape sgc");

    // the JDK names EC key factories by algorithm name, BouncyCastle's verifier looks them up by OID
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    public CertificateSigningRequestStrategy(ResourceType type) {
        super(type);
    }

    @Override
    public boolean hasStatus() {
        return true;
    }

    /**
     * Upstream's GetResetFields of csrStrategy (the main resource: spec and status, neither of which a write there
     * changes) and of csrStatusStrategy (spec and status.conditions: the conditions are the approval subresource's,
     * so a status apply does not own them).
     */
    @Override
    public FieldSet resetFields(boolean statusSubresource) {
        return statusSubresource ? ResetFields.of("spec", "status.conditions") : ResetFields.of("spec", "status");
    }

    /**
     * Through {@code approval}, upstream's csrApprovalStrategy.GetResetFields: spec and status.certificate, so an
     * approver's apply owns the conditions and whatever else of status it names, never the certificate.
     */
    @Override
    public FieldSet resetFields(String subresource) {
        return APPROVAL.equals(subresource) ? ResetFields.of("spec", "status.certificate")
                : resetFields(subresource.equals("status"));
    }

    /**
     * A write through {@code approval}, as upstream's csrApprovalStrategy.PrepareForUpdate: spec and status stay as
     * stored except status.conditions, which are the request's (CertificateSigningRequestAdmission checks that no
     * approval is taken back and stamps their times).
     */
    @Override
    public void prepareForSubresourceUpdate(String subresource, ObjectNode obj, ObjectNode old) {
        if (APPROVAL.equals(subresource)) {
            keepAllButConditions(obj, old);
        } else {
            super.prepareForSubresourceUpdate(subresource, obj, old);
        }
    }

    /** Sets {@code obj}'s spec and status to {@code old}'s, but for the conditions {@code obj} asks for. */
    public static void keepAllButConditions(ObjectNode obj, ObjectNode old) {
        JsonNode conditions = obj.path("status").path("conditions");
        keepStored(obj, old, "spec");
        keepStored(obj, old, "status");
        if (conditions.isArray()) {
            obj.withObject("/status").set("conditions", conditions);
        } else if (obj.get("status") instanceof ObjectNode status) {
            status.remove("conditions");
        }
    }

    /**
     * A status write, as upstream's csrStatusStrategy.PrepareForUpdate: spec as stored, and the Approved and Denied
     * conditions too - issuing a certificate cannot approve, deny or undo either. Here rather than in admission only,
     * so that a server-side apply to status (whose admission sees a dry run) keeps them as well.
     */
    @Override
    public void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        super.prepareForStatusUpdate(obj, old);
        keepApproval(obj, old);
    }

    /**
     * Puts {@code old}'s Approved and Denied conditions in place of {@code obj}'s: its other conditions first, in
     * their order, then the stored approval ones.
     */
    public static void keepApproval(ObjectNode obj, ObjectNode old) {
        JsonNode conditions = obj.path("status").path("conditions");
        boolean stored = hasApproval(old.path("status").path("conditions"));
        if (!hasApproval(conditions) && !stored) {
            return; // nothing to keep or to drop: the request's conditions stand as sent (absent stays absent)
        }
        ArrayNode kept = obj.arrayNode();
        for (JsonNode c : conditions) {
            if (!APPROVAL_TYPES.contains(c.path("type").asString(""))) {
                kept.add(c);
            }
        }
        for (JsonNode c : old.path("status").path("conditions")) {
            if (APPROVAL_TYPES.contains(c.path("type").asString(""))) {
                kept.add(c.deepCopy());
            }
        }
        obj.withObject("/status").set("conditions", kept);
    }

    private static boolean hasApproval(JsonNode conditions) {
        for (JsonNode c : conditions) {
            if (APPROVAL_TYPES.contains(c.path("type").asString(""))) {
                return true;
            }
        }
        return false;
    }

    private static void keepStored(ObjectNode obj, ObjectNode old, String field) {
        if (old.has(field)) {
            obj.set(field, old.get(field).deepCopy());
        } else {
            obj.remove(field);
        }
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        obj.remove("status");
    }

    @Override
    public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        // the request and who made it never change after create
        if (old.has("spec")) {
            obj.set("spec", old.get("spec").deepCopy());
        }
        super.prepareForUpdate(obj, old);
    }

    @Override
    public Set<String> selectableFields() {
        return Set.of("spec.signerName");
    }

    @Override
    public List<FieldError> validateCreate(ObjectNode obj) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = obj.path("spec");
        String request = spec.path("request").asString("");
        if (request.isEmpty()) {
            errors.add(FieldError.required("spec.request", ""));
        } else if (parseRequest(request) == null) {
            errors.add(FieldError.invalid("spec.request", FieldError.OMIT,
                    "must be a base64-encoded PEM block of type CERTIFICATE REQUEST holding a valid PKCS#10 request"));
        }
        String signer = spec.path("signerName").asString("");
        if (signer.isEmpty()) {
            errors.add(FieldError.required("spec.signerName", ""));
        } else if (!signer.contains("/") || signer.startsWith("/") || signer.endsWith("/")) {
            errors.add(FieldError.invalid("spec.signerName", signer,
                    "must be a fully qualified domain and path of the form 'example.com/signer-name'"));
        }
        JsonNode usages = spec.path("usages");
        if (!usages.isMissingNode() && !usages.isNull()) {
            int i = 0;
            for (JsonNode usage : usages) {
                if (!KNOWN_USAGES.contains(usage.asString(""))) {
                    errors.add(FieldError.notSupported("spec.usages[" + i + "]", usage.asString(""),
                            List.copyOf(KNOWN_USAGES).stream().sorted().toList()));
                }
                i++;
            }
        }
        JsonNode expiration = spec.path("expirationSeconds");
        if (!expiration.isMissingNode() && !expiration.isNull()
                && (!expiration.isIntegralNumber() || expiration.asLong() < MIN_EXPIRATION_SECONDS)) {
            errors.add(FieldError.invalid("spec.expirationSeconds", expiration.asString(),
                    "may not specify a duration less than 600 seconds (10 minutes)"));
        }
        return errors;
    }

    /** The PKCS#10 request in {@code base64Pem} (spec.request as sent on the wire), or null when it holds none. */
    public static PKCS10CertificationRequest parseRequest(String base64Pem) {
        try {
            String pem = new String(Base64.getDecoder().decode(base64Pem.trim()), StandardCharsets.UTF_8);
            try (PEMParser parser = new PEMParser(new StringReader(pem))) {
                Object parsed = parser.readObject();
                // as upstream, a request not signed by the key it carries is refused
                if (parsed instanceof PKCS10CertificationRequest csr && csr.isSignatureValid(
                        new JcaContentVerifierProviderBuilder().setProvider(BC).build(csr.getSubjectPublicKeyInfo()))) {
                    return csr;
                }
                return null;
            }
        } catch (IllegalArgumentException | IOException | ClassCastException | OperatorCreationException
                 | PKCSException e) {
            return null;
        }
    }

    @Override
    public TablePrinter tablePrinter() {
        return new TablePrinter() {
            @Override
            public List<Column> columns() {
                return List.of(
                        new Column("Name", "string", "name", "Name must be unique within a namespace.", 0),
                        new Column("Age", "string", "", "CreationTimestamp is a timestamp representing the server "
                                + "time when this object was created.", 0),
                        new Column("SignerName", "string", "", "Only one signer is allowed per request.", 0),
                        new Column("Requestor", "string", "", "Name of the requestor.", 0),
                        new Column("RequestedDuration", "string", "", "Requested duration of the certificate.", 0),
                        new Column("Condition", "string", "", "Request approval state, currently Approved or Denied.",
                                0));
            }

            @Override
            public List<Object> cells(ObjectNode obj, Instant now) {
                JsonNode spec = obj.path("spec");
                JsonNode expiration = spec.path("expirationSeconds");
                return List.of(obj.path("metadata").path("name").asString(""),
                        HumanDuration.since(obj.path("metadata").path("creationTimestamp").asString(null), now),
                        spec.path("signerName").asString("<none>"),
                        spec.path("username").asString(""),
                        expiration.isIntegralNumber() ? HumanDuration.format(Duration.ofSeconds(expiration.asLong()))
                                : "<none>",
                        condition(obj));
            }
        };
    }

    /** Upstream's CONDITION cell: the condition types joined by commas (Approved,Issued), Pending when none. */
    static String condition(ObjectNode obj) {
        List<String> types = new ArrayList<>();
        for (JsonNode c : obj.path("status").path("conditions")) {
            if (!"False".equals(c.path("status").asString(""))) {
                types.add(c.path("type").asString(""));
            }
        }
        if (obj.path("status").path("certificate").asString("").length() > 0) {
            types.add("Issued");
        }
        return types.isEmpty() ? "Pending" : String.join(",", types);
    }
}
