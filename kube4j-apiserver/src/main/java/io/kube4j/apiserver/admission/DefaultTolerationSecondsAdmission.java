package io.kube4j.apiserver.admission;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * DefaultTolerationSeconds: a new pod that does not tolerate the not-ready / unreachable NoExecute taints gets
 * tolerations for them lasting 300 seconds, so its pods are evicted five minutes after their node fails.
 */
public final class DefaultTolerationSecondsAdmission implements MutatingAdmission {

    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";

    private final long seconds;

    public DefaultTolerationSecondsAdmission(long seconds) {
        this.seconds = seconds;
    }

    public DefaultTolerationSecondsAdmission() {
        this(300);
    }

    @Override
    public String name() {
        return "DefaultTolerationSeconds";
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (request.operation() != Operation.CREATE || !request.isCore("pods") || request.object() == null) {
            return;
        }
        ObjectNode spec = Json.child(request.object(), "spec");
        JsonNode existing = spec.get("tolerations");
        boolean notReady = tolerates(existing, NOT_READY);
        boolean unreachable = tolerates(existing, UNREACHABLE);
        if (notReady && unreachable) {
            return;
        }
        ArrayNode tolerations = existing instanceof ArrayNode array ? array : spec.putArray("tolerations");
        if (!notReady) {
            add(tolerations, NOT_READY);
        }
        if (!unreachable) {
            add(tolerations, UNREACHABLE);
        }
    }

    private void add(ArrayNode tolerations, String key) {
        tolerations.addObject().put("key", key).put("operator", "Exists").put("effect", "NoExecute")
                .put("tolerationSeconds", seconds);
    }

    private static boolean tolerates(JsonNode tolerations, String key) {
        if (tolerations == null || !tolerations.isArray()) {
            return false;
        }
        for (JsonNode toleration : tolerations) {
            String effect = Json.text(toleration, "effect");
            boolean noExecute = effect == null || effect.isEmpty() || effect.equals("NoExecute");
            String tolerationKey = Json.text(toleration, "key");
            boolean keyMatches = key.equals(tolerationKey)
                    || ((tolerationKey == null || tolerationKey.isEmpty())
                    && "Exists".equals(Json.text(toleration, "operator")));
            if (noExecute && keyMatches) {
                return true;
            }
        }
        return false;
    }
}
