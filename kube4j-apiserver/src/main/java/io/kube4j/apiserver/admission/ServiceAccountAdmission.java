package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * The ServiceAccount plugin: a new pod runs as {@code default} unless it names a service account, which must
 * exist; unless automounting is off (pod or service account), it gets the projected {@code kube-api-access-xxxxx}
 * volume (bound token, cluster CA, namespace) mounted read-only at
 * {@code /var/run/secrets/kubernetes.io/serviceaccount} in every container; the service account's
 * imagePullSecrets are added when the pod has none. Mirror pods may not use any of this.
 */
public final class ServiceAccountAdmission implements MutatingAdmission {

    public static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    public static final String VOLUME_PREFIX = "kube-api-access-";
    public static final String ROOT_CA_CONFIGMAP = "kube-root-ca.crt";
    /** An hour and a bit: kubelets refresh at 80% of it, and 3607 marks tokens safe to extend as upstream does. */
    static final long TOKEN_EXPIRATION_SECONDS = 3607;
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectLookup lookup;

    public ServiceAccountAdmission(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return "ServiceAccount";
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (request.operation() != Operation.CREATE || !request.isCore("pods") || request.object() == null) {
            return;
        }
        ObjectNode pod = request.object();
        ObjectNode spec = Json.child(pod, "spec");
        if (Json.text(pod, "metadata", "annotations", MIRROR_ANNOTATION) != null) {
            if (nonEmpty(spec, "serviceAccountName")) {
                throw AdmissionErrors.forbidden(request, "a mirror pod may not reference service accounts");
            }
            return;
        }
        String saName = Json.text(spec, "serviceAccountName");
        if (saName == null || saName.isEmpty()) {
            saName = "default";
        }
        spec.put("serviceAccountName", saName);
        // the deprecated alias stays in step, as upstream's defaulting keeps it
        spec.put("serviceAccount", saName);
        // upstream's plugin: its informer's lister, then a live read on a miss (an account created a moment ago)
        Optional<ObjectNode> serviceAccount = lookup.getCachedThenLive("serviceaccounts", request.namespace(), saName);
        if (serviceAccount.isEmpty()) {
            throw AdmissionErrors.forbidden(request, "error looking up service account " + request.namespace() + "/"
                    + saName + ": serviceaccount \"" + saName + "\" not found");
        }
        if (automount(spec, serviceAccount.get())) {
            mountToken(spec);
        }
        JsonNode pullSecrets = spec.get("imagePullSecrets");
        JsonNode saPullSecrets = serviceAccount.get().get("imagePullSecrets");
        if ((pullSecrets == null || pullSecrets.isEmpty()) && saPullSecrets != null && saPullSecrets.isArray()
                && !saPullSecrets.isEmpty()) {
            ArrayNode copy = spec.putArray("imagePullSecrets");
            saPullSecrets.forEach(s -> copy.addObject().put("name", Json.text(s, "name")));
        }
    }

    private static boolean automount(ObjectNode spec, ObjectNode serviceAccount) {
        JsonNode podSetting = spec.get("automountServiceAccountToken");
        if (podSetting != null && podSetting.isBoolean()) {
            return podSetting.asBoolean();
        }
        JsonNode saSetting = serviceAccount.get("automountServiceAccountToken");
        return saSetting == null || !saSetting.isBoolean() || saSetting.asBoolean();
    }

    private static void mountToken(ObjectNode spec) {
        ArrayNode volumes = spec.has("volumes") && spec.get("volumes").isArray() ? (ArrayNode) spec.get("volumes")
                : spec.putArray("volumes");
        String volumeName = null;
        for (JsonNode volume : volumes) {
            String name = Json.text(volume, "name");
            if (name != null && name.startsWith(VOLUME_PREFIX)) {
                volumeName = name;
            }
        }
        if (volumeName == null) {
            volumeName = VOLUME_PREFIX + suffix();
            ObjectNode projected = volumes.addObject().put("name", volumeName).putObject("projected");
            projected.put("defaultMode", 420);
            ArrayNode sources = projected.putArray("sources");
            sources.addObject().putObject("serviceAccountToken").put("expirationSeconds", TOKEN_EXPIRATION_SECONDS)
                    .put("path", "token");
            ObjectNode configMap = sources.addObject().putObject("configMap").put("name", ROOT_CA_CONFIGMAP);
            configMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
            sources.addObject().putObject("downwardAPI").putArray("items").addObject().put("path", "namespace")
                    .putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
        }
        for (String list : new String[]{"initContainers", "containers"}) {
            JsonNode containers = spec.get(list);
            if (containers == null || !containers.isArray()) {
                continue;
            }
            for (JsonNode container : containers) {
                if (container instanceof ObjectNode c && !mountsAt(c, MOUNT_PATH)) {
                    ArrayNode mounts = c.has("volumeMounts") && c.get("volumeMounts").isArray()
                            ? (ArrayNode) c.get("volumeMounts") : c.putArray("volumeMounts");
                    mounts.addObject().put("name", volumeName).put("readOnly", true).put("mountPath", MOUNT_PATH);
                }
            }
        }
    }

    private static boolean mountsAt(ObjectNode container, String path) {
        JsonNode mounts = container.get("volumeMounts");
        if (mounts != null && mounts.isArray()) {
            for (JsonNode mount : mounts) {
                if (path.equals(Json.text(mount, "mountPath"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean nonEmpty(ObjectNode spec, String field) {
        String value = Json.text(spec, field);
        return value != null && !value.isEmpty();
    }

    static String suffix() {
        StringBuilder text = new StringBuilder(5);
        for (int i = 0; i < 5; i++) {
            text.append(SUFFIX_ALPHABET.charAt(RANDOM.nextInt(SUFFIX_ALPHABET.length())));
        }
        return text.toString();
    }
}
