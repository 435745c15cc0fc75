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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * certificates.k8s.io/v1 CertificateSigningRequests, as upstream's {@code pkg/registry/certificates}: the spec is
 * immutable, a write to the main resource keeps the status, a write to status may not add or remove an approval
 * (422) and keeps the stored one, a write to approval changes only the conditions, and spec.request must hold one
 * PEM {@code CERTIFICATE REQUEST}. Who asked (spec.username/uid/groups/extra) is set by
 * {@code CertificateSigningRequestAdmission}, which has the request's user.
 */
public final class CertificateSigningRequestStrategy extends DefaultStrategy {

    /** The subresource through which requests are approved or denied (its conditions only). */
    public static final String APPROVAL = "approval";

    /** The condition types only the approval subresource sets. */
    private static final List<String> APPROVAL_TYPES = List.of("Approved", "Denied");

    /** The condition types no write may remove, whose status may only be True (upstream's trueConditionTypes). */
    private static final List<String> TRUE_ONLY_TYPES_ORDERED = List.of("Approved", "Denied", "Failed");
    private static final Set<String> TRUE_ONLY_TYPES = Set.copyOf(TRUE_ONLY_TYPES_ORDERED);
    private static final List<String> TRUE_ONLY = List.of("True");
    private static final List<String> ANY_STATUS = List.of("False", "True", "Unknown");

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
            if (obj.get("status") instanceof ObjectNode status) {
                defaultConditionStatus(status);
            }
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
     * A status write, as upstream's csrStatusStrategy.PrepareForUpdate: spec as stored, and each Approved and Denied
     * condition as stored when the request has as many of that type - issuing a certificate cannot change an
     * approval decision. A request that adds or removes one keeps it, and {@link #validateUpdate(ObjectNode,
     * ObjectNode, String)} refuses it (422), as upstream's validation does; here rather than in admission only, so
     * that a server-side apply to status (whose admission sees a dry run) is held to it as well.
     */
    @Override
    public void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        super.prepareForStatusUpdate(obj, old);
        if (obj.get("status") instanceof ObjectNode status) {
            defaultConditionStatus(status);
        }
        keepApprovalInstances(obj, old);
    }

    /**
     * Upstream's defaulting of a condition (SetDefaults_CertificateSigningRequestCondition): no status, or an empty
     * one, is True. Applied to what a status or approval write sends, before its rules are checked.
     */
    public static void defaultConditionStatus(ObjectNode status) {
        for (JsonNode c : status.path("conditions")) {
            if (c instanceof ObjectNode condition && condition.path("status").asString("").isEmpty()) {
                condition.put("status", "True");
            }
        }
    }

    /**
     * Upstream's preserveConditionInstances for Approved and Denied: when {@code obj} has as many conditions of the
     * type as {@code old}, the n-th of them becomes a copy of old's n-th; otherwise they are left for validation.
     */
    public static void keepApprovalInstances(ObjectNode obj, ObjectNode old) {
        if (!(obj.path("status").path("conditions") instanceof ArrayNode conditions)) {
            return; // no conditions sent: an approval stored is a removal, which validation refuses
        }
        JsonNode stored = old.path("status").path("conditions");
        for (String type : APPROVAL_TYPES) {
            List<Integer> now = indicesOf(conditions, type);
            List<Integer> before = indicesOf(stored, type);
            if (now.size() == before.size()) {
                for (int i = 0; i < now.size(); i++) {
                    conditions.set(now.get(i), stored.get(before.get(i)).deepCopy());
                }
            }
        }
    }

    private static List<Integer> indicesOf(JsonNode conditions, String type) {
        List<Integer> indices = new ArrayList<>(1);
        for (int i = 0; i < conditions.size(); i++) {
            if (type.equals(conditions.get(i).path("type").asString(""))) {
                indices.add(i);
            }
        }
        return indices;
    }

    /** The rules of the subresource written through: upstream's validateCertificateSigningRequestUpdate. */
    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old, String subresource) {
        return validateConditionUpdate(obj, old, subresource);
    }

    /**
     * Upstream's condition rules of a CSR update through {@code subresource} ("" the main resource, "status",
     * "approval"): each condition's type set and unique and its status one of True, False, Unknown (only True for
     * Approved, Denied and Failed); Approved and Denied not both; no Approved, Denied or Failed condition removed by
     * any write; and an Approved or Denied condition added only through approval. A rule the stored object already
     * breaks (duplicate or empty types, both Approved and Denied) is not held against the write, as upstream. Status
     * writes may not replace a certificate already issued, and a certificate set must be PEM CERTIFICATE blocks
     * ({@link IssuedCertificate}). A changed Approved or Denied condition needs no rule: the
     * main resource and status keep the stored ones (prepareForUpdate, {@link #keepApprovalInstances}).
     */
    public static List<FieldError> validateConditionUpdate(ObjectNode obj, ObjectNode old, String subresource) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode conditions = obj.path("status").path("conditions");
        JsonNode stored = old.path("status").path("conditions");
        boolean storedBoth = !indicesOf(stored, "Approved").isEmpty() && !indicesOf(stored, "Denied").isEmpty();
        Set<String> storedTypes = new HashSet<>();
        boolean storedDuplicates = false;
        for (JsonNode c : stored) {
            storedDuplicates |= !storedTypes.add(c.path("type").asString(""));
        }
        boolean storedEmptyType = storedTypes.contains("");
        Set<String> seen = new HashSet<>();
        boolean approved = false;
        boolean denied = false;
        for (int i = 0; i < conditions.size(); i++) {
            String path = "status.conditions[" + i + "]";
            String type = conditions.get(i).path("type").asString("");
            String status = conditions.get(i).path("status").asString("");
            if (type.isEmpty() && !storedEmptyType) {
                errors.add(FieldError.required(path + ".type", ""));
            }
            List<String> allowed = TRUE_ONLY_TYPES.contains(type) ? TRUE_ONLY : ANY_STATUS;
            if (status.isEmpty()) {
                errors.add(FieldError.required(path + ".status", ""));
            } else if (!allowed.contains(status)) {
                errors.add(FieldError.notSupported(path + ".status", status, allowed));
            }
            if (!storedBoth && ("Approved".equals(type) && denied || "Denied".equals(type) && approved)) {
                errors.add(FieldError.invalid(path + ".type", type,
                        "Approved and Denied conditions are mutually exclusive"));
            }
            approved |= "Approved".equals(type);
            denied |= "Denied".equals(type);
            if (!seen.add(type) && !storedDuplicates) {
                errors.add(FieldError.duplicate(path + ".type", type));
            }
        }
        String certificate = obj.path("status").path("certificate").asString("");
        String storedCertificate = old.path("status").path("certificate").asString("");
        // upstream's allowArbitraryCertificate: a write that leaves the certificate alone, or one over a stored
        // certificate that would not pass either, is not held to the check
        if (!certificate.equals(storedCertificate) && IssuedCertificate.problem(storedCertificate) == null) {
            String problem = IssuedCertificate.problem(certificate);
            if (problem != null) {
                errors.add(FieldError.invalid("status.certificate", "<certificate data>", problem));
            }
        }
        for (String type : TRUE_ONLY_TYPES_ORDERED) {
            int now = indicesOf(conditions, type).size();
            int before = indicesOf(stored, type).size();
            if (now < before) {
                errors.add(FieldError.forbidden("status.conditions",
                        "updates may not remove a condition of type \"" + type + "\""));
            }
        }
        if (!APPROVAL.equals(subresource)) {
            for (String type : APPROVAL_TYPES) {
                if (indicesOf(conditions, type).size() > indicesOf(stored, type).size()) {
                    errors.add(FieldError.forbidden("status.conditions",
                            "updates may not add a condition of type \"" + type + "\""));
                }
            }
        }
        if ("status".equals(subresource) && !storedCertificate.isEmpty() && !certificate.equals(storedCertificate)) {
            errors.add(FieldError.forbidden("status.certificate",
                    "updates may not modify existing certificate content"));
        }
        return errors;
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
